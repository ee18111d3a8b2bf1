import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ShopContracts
import ShopRPC
import Synchronization
import Testing

@testable import APIGateway

/// Placing an order in process: what reaches the order service, and how its outcome reads.
@Suite struct OrderRoutesTests {
  typealias Gateway = GatewayRouterTests
  static let body =
    #"{"items":[{"product_id":"p1","quantity":2}],"shipping_address":{"line1":"1 Main St","city":"Berlin","postal_code":"10115","country":"DE"},"payment":{"card_number":"4242424242424242","exp_month":12,"exp_year":2099,"cvc":"123"}}"#

  static func headers(_ fake: FakeUserService, key: String? = "key-1") async throws -> HTTPFields {
    var fields = try await CatalogRoutesTests.bearer(fake, role: "customer")
    if let key { fields[.idempotencyKey] = key }
    return fields
  }

  @Test func theKeyIsRequiredAndNothingIsSentWithoutIt() async throws {
    let orders = FakeOrderService()
    try await Gateway.withGateway(orders: orders) { client, fake in
      try await client.execute(
        uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake, key: nil),
        body: ByteBuffer(string: Self.body)
      ) { response in
        #expect(response.status == .badRequest && Gateway.code(response.body) == "idempotency_key_required")
      }
    }
    #expect(orders.placed.withLock { $0.isEmpty })
  }

  @Test func theRequestIsTranslatedWithItsKeyAndFingerprint() async throws {
    let orders = FakeOrderService()
    try await Gateway.withGateway(orders: orders) { client, fake in
      for body in [Self.body, Self.body, Self.body.replacingOccurrences(of: "\"quantity\":2", with: "\"quantity\":3")] {
        try await client.execute(
          uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake), body: ByteBuffer(string: body)
        ) { #expect($0.status == .created) }
      }
      let cart = Self.body.replacingOccurrences(of: #""items":[{"product_id":"p1","quantity":2}],"#, with: "")
      try await client.execute(
        uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake), body: ByteBuffer(string: cart)
      ) { #expect($0.status == .created) }
    }
    let placed = orders.placed.withLock { $0 }
    try #require(placed.count == 4)
    #expect(placed[0].idempotencyKey == "key-1" && placed[0].items.first?.quantity == 2 && !placed[0].orderCart)
    #expect(placed[0].card.number == "4242424242424242" && placed[0].shippingAddress.country == "DE")
    #expect(placed[0].fingerprint == placed[1].fingerprint && placed[0].fingerprint != placed[2].fingerprint)
    #expect(placed[3].orderCart && placed[3].items.isEmpty)
  }

  static func declined() -> Shop_Order_V1_PlaceOrderResponse {
    var declined = FakeOrderService.paid()
    declined.status = 402
    declined.errorCode = "payment_failed"
    declined.errorDetail = "declined"
    return declined
  }

  static func short() -> Shop_Order_V1_PlaceOrderResponse {
    var short = declined()
    short.status = 409
    short.errorCode = "out_of_stock"
    var line = Shop_Order_V1_ShortItem()
    line.productID = "p1"
    line.requested = 3
    line.available = 1
    short.shortItems = [line]
    return short
  }

  @Test func outcomesReadAsAPIMDSaysAndTheSameOutcomeAsTheSameBytes() async throws {
    let orders = FakeOrderService()
    let declined = Self.declined()
    let short = Self.short()
    try await Gateway.withGateway(orders: orders) { client, fake in
      var seen: [ByteBuffer] = []
      for _ in 0..<2 {
        orders.answer.withLock { $0 = .success(declined) }
        try await client.execute(
          uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake),
          body: ByteBuffer(string: Self.body)
        ) { response in
          #expect(response.status.code == 402 && response.status.reasonPhrase == "Payment Required")
          #expect(Gateway.string(response.body, "order_id") == "o1" && Gateway.code(response.body) == "payment_failed")
          seen.append(response.body)
        }
      }
      #expect(seen[0] == seen[1])
      orders.answer.withLock { $0 = .success(short) }
      try await client.execute(
        uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake), body: ByteBuffer(string: Self.body)
      ) { response in
        #expect(response.status == .conflict && Gateway.code(response.body) == "out_of_stock")
        let items = try #require(try Gateway.json(response.body)["items"] as? [[String: Any]])
        #expect(items.first?["waitlist_url"] as? String == "/api/v1/products/p1/waitlist")
      }
      var reused = Metadata()
      reused.addString("idempotency_key_reused", forKey: RPCMetadataKeys.errorCode)
      orders.answer.withLock { $0 = .failure(RPCError(code: .alreadyExists, message: "reused", metadata: reused)) }
      try await client.execute(
        uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake), body: ByteBuffer(string: Self.body)
      ) { response in
        #expect(response.status.code == 422 && Gateway.code(response.body) == "idempotency_key_reused")
      }
      var busy = Metadata()
      busy.addString("idempotency_key_in_use", forKey: RPCMetadataKeys.errorCode)
      busy.addString("7", forKey: RPCMetadataKeys.retryAfter)
      orders.answer.withLock { $0 = .failure(RPCError(code: .failedPrecondition, message: "busy", metadata: busy)) }
      try await client.execute(
        uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake), body: ByteBuffer(string: Self.body)
      ) { response in
        #expect(response.status == .conflict && response.headers[.retryAfter] == "7")
      }
    }
  }

  @Test func fulfillmentReadsQueuedWithNullsThenPackedAndNullBeforeAPayment() async throws {
    let orders = FakeOrderService()
    var queued = FakeOrderService.paid()
    queued.order.fulfillment.status = "queued"
    var packed = queued
    packed.order.fulfillment.status = "packed"
    packed.order.fulfillment.warehouse = "eu-central"
    packed.order.fulfillment.packedAt = "2026-12-03T10:00:00Z"
    var pending = FakeOrderService.paid()
    pending.status = 202
    pending.order.status = "pending"
    let answers = [queued, packed, pending]
    try await Gateway.withGateway(orders: orders) { client, fake in
      var seen: [Any] = []
      for answer in answers {
        orders.answer.withLock { $0 = .success(answer) }
        try await client.execute(
          uri: "/api/v1/orders", method: .post, headers: try await Self.headers(fake, key: UUID().uuidString),
          body: ByteBuffer(string: Self.body)
        ) { response in
          seen.append((try Gateway.json(response.body))["fulfillment"] as Any)
        }
      }
      let first = try #require(seen[0] as? [String: Any])
      #expect(first["status"] as? String == "queued" && first["warehouse"] is NSNull && first["packed_at"] is NSNull)
      let second = try #require(seen[1] as? [String: Any])
      #expect(
        second["warehouse"] as? String == "eu-central" && second["packed_at"] as? String == "2026-12-03T10:00:00Z")
      #expect(seen[2] is NSNull)
    }
  }
}
