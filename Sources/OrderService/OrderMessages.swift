import Foundation
import FulfillmentQueue
import ShopContracts

// Translations between the order service's types and its gRPC messages.

extension Shop_Order_V1_Money {
  init(_ money: Money) {
    self.init()
    amount = money.amount
    currency = money.currency
  }
}

extension Shop_Order_V1_Cart {
  init(_ view: CartView) {
    self.init()
    items = view.items.map { line in
      var item = Shop_Order_V1_CartLine()
      item.productID = line.productID.lowercased
      item.name = line.name
      item.quantity = line.quantity
      item.unitPrice = .init(line.unitPrice)
      item.lineTotal = .init(line.lineTotal)
      return item
    }
    total = .init(view.total)
  }
}

extension Shop_Order_V1_Address {
  init(_ address: PostalAddress) {
    self.init()
    line1 = address.line1
    if let line2 = address.line2 { self.line2 = line2 }
    city = address.city
    postalCode = address.postalCode
    country = address.country
  }
}

extension Shop_Order_V1_Order {
  init(_ record: OrderRecord) {
    self.init()
    let order = record.document
    id = order.id.lowercased
    userID = order.userID.lowercased
    status = record.status.rawValue
    if let reason = record.cancelReason { cancelReason = reason.rawValue }
    items = order.items.map { line in
      var item = Shop_Order_V1_OrderLine()
      item.productID = line.productID.lowercased
      item.name = line.name
      item.quantity = line.quantity
      item.unitPrice = .init(line.unitPrice)
      return item
    }
    total = .init(order.total)
    shippingAddress = .init(order.shippingAddress)
    var payment = Shop_Order_V1_PaymentSummary()
    payment.status = record.paymentStatus
    payment.brand = order.card.brand
    payment.last4 = order.card.last4
    self.payment = payment
    statusHistory = record.history.map { change in
      var item = Shop_Order_V1_StatusChange()
      item.status = change.status.rawValue
      item.at = change.at.rfc3339
      return item
    }
    if let sent = record.shipment {
      var shipment = Shop_Order_V1_Shipment()
      shipment.carrier = sent.carrier
      shipment.trackingNumber = sent.trackingNumber
      shipment.shippedAt = sent.shippedAt.rfc3339
      self.shipment = shipment
    }
    if let packing = record.fulfillment {
      var fulfillment = Shop_Order_V1_Fulfillment()
      fulfillment.status = packing.status.rawValue
      if let warehouse = packing.warehouse { fulfillment.warehouse = warehouse }
      if let packedAt = packing.packedAt { fulfillment.packedAt = packedAt.rfc3339 }
      fulfillment.packingList = packing.packingList.map { line in
        var packed = Shop_Order_V1_PackedLine()
        packed.productID = line.productID.lowercased
        packed.name = line.name
        packed.quantity = line.quantity
        return packed
      }
      self.fulfillment = fulfillment
    }
    createdAt = order.createdAt.rfc3339
    updatedAt = record.updatedAt.rfc3339
    sagaStep = record.sagaStep.rawValue
  }
}

extension Shop_Order_V1_PlaceOrderResponse {
  init<Store>(_ result: Checkout<Store>.Result) {
    self.init()
    switch result {
    case .placed(let order):
      status = order.status == .pending ? 202 : 201
      self.order = .init(order)
    case .paymentFailed(let order):
      status = 402
      self.order = .init(order)
      errorCode = "payment_failed"
      errorDetail = "the card was declined; the order is cancelled"
    case .outOfStock(let order, let lines):
      status = 409
      self.order = .init(order)
      errorCode = "out_of_stock"
      errorDetail = "\(lines.count) item(s) are not available in the quantity ordered"
      shortItems = lines.map { line in
        var item = Shop_Order_V1_ShortItem()
        item.productID = line.productID.lowercased
        item.requested = line.requested
        item.available = line.available
        return item
      }
    }
  }
}

extension CheckoutRequest {
  init(_ message: Shop_Order_V1_PlaceOrderRequest) throws(OrderError) {
    var addressID: String?
    var address: PostalAddress?
    switch message.shipping {
    case .shippingAddressID(let id): addressID = id
    case .shippingAddress(let given):
      address = PostalAddress(
        line1: given.line1, line2: given.hasLine2 ? given.line2 : nil, city: given.city,
        postalCode: given.postalCode, country: given.country)
    case nil: break
    }
    try self.init(
      lines: message.orderCart ? nil : message.items.map { ($0.productID, $0.quantity) }, addressID: addressID,
      address: address,
      card: (message.card.number, Int(message.card.expMonth), Int(message.card.expYear), message.card.cvc))
  }
}
