import ShopContracts

/// Request bodies of the cart and order routes; only these fields are read.
struct CartQuantityBody: Decodable {
  var quantity: Int64
}

struct OrderLineBody: Decodable {
  var productId: String
  var quantity: Int64
}

struct PaymentBody: Decodable {
  var cardNumber: String
  var expMonth: Int32
  var expYear: Int32
  var cvc: String
}

/// `POST /orders/{id}/ship`.
struct ShipBody: Decodable {
  var carrier: String
  var trackingNumber: String
}

struct PlaceOrderBody: Decodable {
  @Omissible var items: [OrderLineBody]?
  @Omissible var shippingAddressId: String?
  @Omissible var shippingAddress: AddressBody?
  var payment: PaymentBody
}

/// Response bodies, written with snake_case keys; absent optional values are `null`.
struct CartView: Encodable {
  struct Line: Encodable {
    var productId: String
    var name: String
    var quantity: Int64
    var unitPrice: MoneyBody
    var lineTotal: MoneyBody
  }

  var items: [Line]
  var total: MoneyBody

  init(_ cart: Shop_Order_V1_Cart) {
    items = cart.items.map {
      Line(
        productId: $0.productID, name: $0.name, quantity: $0.quantity, unitPrice: MoneyBody($0.unitPrice),
        lineTotal: MoneyBody($0.lineTotal))
    }
    total = MoneyBody(cart.total)
  }
}

struct OrderView: Encodable {
  struct Line: Encodable {
    var productId: String
    var name: String
    var quantity: Int64
    var unitPrice: MoneyBody
  }

  struct Address: Encodable {
    var line1: String
    var line2: String?
    var city: String
    var postalCode: String
    var country: String

    enum CodingKeys: String, CodingKey {
      case line1, line2, city, postalCode, country
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(line1, forKey: .line1)
      try c.encode(line2, forKey: .line2)
      try c.encode(city, forKey: .city)
      try c.encode(postalCode, forKey: .postalCode)
      try c.encode(country, forKey: .country)
    }
  }

  struct Payment: Encodable {
    var status: String
    var brand: String
    var last4: String
  }

  struct StatusChange: Encodable {
    var status: String
    var at: String
  }

  struct Fulfillment: Encodable {
    var status: String
    var warehouse: String?
    var packedAt: String?

    enum CodingKeys: String, CodingKey {
      case status, warehouse, packedAt
    }

    /// A queued order's warehouse and packing time are there as null.
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(status, forKey: .status)
      try c.encode(warehouse, forKey: .warehouse)
      try c.encode(packedAt, forKey: .packedAt)
    }
  }

  struct Shipment: Encodable {
    var carrier: String
    var trackingNumber: String
    var shippedAt: String
  }

  var id: String
  var userId: String
  var status: String
  var cancelReason: String?
  var items: [Line]
  var total: MoneyBody
  var shippingAddress: Address
  var payment: Payment
  var fulfillment: Fulfillment?
  var shipment: Shipment?
  var statusHistory: [StatusChange]
  var createdAt: String
  var updatedAt: String
  /// Where its saga stands, for an admin looking at stuck orders.
  var sagaStep: String?

  init(_ order: Shop_Order_V1_Order, withSagaStep: Bool = false) {
    id = order.id
    userId = order.userID
    status = order.status
    cancelReason = order.hasCancelReason ? order.cancelReason : nil
    items = order.items.map {
      Line(productId: $0.productID, name: $0.name, quantity: $0.quantity, unitPrice: MoneyBody($0.unitPrice))
    }
    total = MoneyBody(order.total)
    let address = order.shippingAddress
    shippingAddress = Address(
      line1: address.line1, line2: address.hasLine2 ? address.line2 : nil, city: address.city,
      postalCode: address.postalCode, country: address.country)
    payment = Payment(status: order.payment.status, brand: order.payment.brand, last4: order.payment.last4)
    if order.hasFulfillment {
      let packing = order.fulfillment
      fulfillment = Fulfillment(
        status: packing.status, warehouse: packing.hasWarehouse ? packing.warehouse : nil,
        packedAt: packing.hasPackedAt ? packing.packedAt : nil)
    }
    if order.hasShipment {
      shipment = Shipment(
        carrier: order.shipment.carrier, trackingNumber: order.shipment.trackingNumber,
        shippedAt: order.shipment.shippedAt)
    }
    statusHistory = order.statusHistory.map { StatusChange(status: $0.status, at: $0.at) }
    createdAt = order.createdAt
    updatedAt = order.updatedAt
    if withSagaStep { sagaStep = order.sagaStep }
  }

  enum CodingKeys: String, CodingKey {
    case id, userId, status, cancelReason, items, total, shippingAddress, payment, fulfillment, shipment
    case statusHistory, createdAt, updatedAt, sagaStep
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(userId, forKey: .userId)
    try c.encode(status, forKey: .status)
    try c.encode(cancelReason, forKey: .cancelReason)
    try c.encode(items, forKey: .items)
    try c.encode(total, forKey: .total)
    try c.encode(shippingAddress, forKey: .shippingAddress)
    try c.encode(payment, forKey: .payment)
    try c.encode(fulfillment, forKey: .fulfillment)
    try c.encode(shipment, forKey: .shipment)
    try c.encode(statusHistory, forKey: .statusHistory)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(updatedAt, forKey: .updatedAt)
    try c.encodeIfPresent(sagaStep, forKey: .sagaStep)
  }
}

extension MoneyBody {
  init(_ money: Shop_Order_V1_Money) {
    self.init(amount: money.amount, currency: money.currency)
  }
}
