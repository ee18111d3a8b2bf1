import Foundation
import ShopContracts
import Testing

@testable import ShopMessaging

/// Every contract of DESIGN.md §4 through the envelope a producer writes and a consumer reads.
@Suite struct EventContractEnvelopeTests {
  static let money = EventMoney(amount: 1999, currency: "USD")
  static let id = "8f0e1d2c-3b4a-4596-8877-665544332211"

  /// One instance of every contract, with every optional field set.
  static let samples: [any EventContract] = [
    UserRegistered(
      userID: id, email: "a@example.com", name: "Ada", role: "customer", registeredAt: "2026-12-01T10:00:00.000Z"),
    OrderCreated(
      orderID: id, userID: id, items: [.init(productID: id, quantity: 2, unitPrice: money)], total: money,
      createdAt: "2026-12-01T10:00:00.000Z"),
    OrderStatusChanged(
      orderID: id, userID: id, from: "paid", to: "shipped", cancelReason: nil,
      shipment: .init(carrier: "DHL", trackingNumber: "JD0001"), at: "2026-12-01T10:00:00.000Z"),
    PaymentSucceeded(orderID: id, userID: id, paymentID: "pay_1", amount: money),
    PaymentFailed(orderID: id, userID: id, paymentID: nil, reason: "card_declined"),
    InventoryLowStock(productID: id, sku: "LAMP-1", name: "Lamp", available: 2, threshold: 5),
    ProductBackInStock(productID: id, sku: "LAMP-1", name: "Lamp", available: 4, waitlistUserIDs: [id]),
    FulfillmentPacked(orderID: id, warehouse: "main", packedAt: "2026-12-01T10:00:00.000Z"),
  ]

  @Test func everyEventOfTheCatalogHasASample() {
    #expect(Set(Self.samples.map { type(of: $0).type }) == Set(EventCatalog.all.map { $0.type }))
    #expect(EventCatalog.all.count == 8)
  }

  @Test(arguments: samples.indices)
  func anEventRoundTripsThroughTheEnvelope(index: Int) throws {
    try Self.roundTrip(Self.samples[index])
  }

  static func roundTrip<Contract: EventContract>(_ data: Contract) throws {
    let aggregate = UUID()
    let event = OutboxEvent(data, aggregateID: aggregate, aggregateVersion: 3)
    #expect(event.type == Contract.type)
    let envelope = try EventEnvelope(body: try event.envelope(source: "test-service"))
    #expect(envelope.type == Contract.type && envelope.schemaVersion == Contract.schemaVersion)
    #expect(envelope.aggregateID == aggregate && envelope.aggregateVersion == 3)
    #expect(try envelope.decode(Contract.self) == data)
    // snake_case on the wire, and no key of the data in camel case.
    let json = String(decoding: try event.envelope(source: "test-service"), as: UTF8.self)
    #expect(!json.contains("ID\"") && !json.contains("At\""))
  }

  @Test func aSchemaVersionTheConsumerDoesNotKnowIsRefused() throws {
    let data = InventoryLowStock(productID: Self.id, sku: "S", name: "N", available: 1, threshold: 2)
    let newer = OutboxEvent(
      type: InventoryLowStock.type, schemaVersion: InventoryLowStock.schemaVersion + 1, aggregateID: UUID(),
      aggregateVersion: 1, data: data)
    let envelope = try EventEnvelope(body: try newer.envelope(source: "test-service"))
    #expect { try envelope.decode(InventoryLowStock.self) } throws: {
      ($0 as? MessagingError)?.code == .unknownSchemaVersion
    }
    #expect { try envelope.decode(ProductBackInStock.self) } throws: {
      ($0 as? MessagingError)?.code == .malformedEvent
    }
  }

  @Test func anEnvelopeWithoutASchemaVersionIsVersionOne() throws {
    let body = #"""
      {"id":"8f0e1d2c-3b4a-4596-8877-665544332211","type":"user.registered","source":"user-service",
       "occurred_at":"2026-12-01T10:00:00Z","aggregate_id":"8f0e1d2c-3b4a-4596-8877-665544332211",
       "aggregate_version":1,"correlation_id":"c",
       "data":{"user_id":"u","email":"e","name":"n","role":"customer","registered_at":"2026-12-01T10:00:00Z"}}
      """#
    let envelope = try EventEnvelope(body: Data(body.utf8))
    #expect(envelope.schemaVersion == 1)
    #expect(try envelope.decode(UserRegistered.self).email == "e")
  }
}
