import Foundation
import FulfillmentQueue
import Logging
import PostgresNIO
import ShopTestSupport
import Testing

@testable import OrderService

/// A worker's reports of packed orders against a real PostgreSQL: packed once, skipped after
/// a cancel or a ship, and the job outbox kept in step.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct OrderPackingTests {
  let orders = OrderTransitionsTests()
  let list = [OrderFulfillment.PackedLine(productID: UUID(), name: "Lamp", quantity: 2)]

  static func job(_ client: PostgresClient, of id: UUID) async throws -> String? {
    let rows = try await client.query(
      "SELECT action FROM fulfillment_jobs WHERE order_id = \(id)", logger: Logger(label: "t"))
    for try await action in rows.decode(String.self) { return action }
    return nil
  }

  static func packedEvents(_ client: PostgresClient, of id: UUID) async throws -> Int {
    let rows = try await client.query(
      "SELECT count(*)::int8 FROM outbox WHERE type = 'fulfillment.packed' AND aggregate_id = \(id)",
      logger: Logger(label: "t"))
    for try await count in rows.decode(Int64.self) { return Int(count) }
    return 0
  }

  @Test func aPaidOrderIsQueuedWithAJobAndPackedOnce() async throws {
    try await orders.withPaidOrder { stack, id in
      let paid = try #require(try await stack.store.order(id: id))
      #expect(paid.fulfillment == OrderFulfillment(status: .queued))
      #expect(try await Self.job(stack.client, of: id) == "pack")

      let packing = OrderPacking(store: stack.store)
      let (decision, packed) = try await packing.pack(id, warehouse: "eu-central", packingList: list)
      #expect(decision == .pack)
      #expect(packed.fulfillment?.status == .packed && packed.fulfillment?.warehouse == "eu-central")
      #expect(packed.fulfillment?.packingList == list && packed.fulfillment?.packedAt != nil)
      #expect(packed.status == .paid)
      #expect(try await Self.job(stack.client, of: id) == nil)

      let (again, unchanged) = try await packing.pack(id, warehouse: "uk", packingList: list)
      #expect(again == .alreadyPacked)
      #expect(unchanged.fulfillment == packed.fulfillment && unchanged.version == packed.version)
      #expect(try await Self.packedEvents(stack.client, of: id) == 1)
    }
  }

  @Test func aCancelledOrderIsSkippedAndItsJobDropped() async throws {
    try await orders.withPaidOrder { stack, id in
      _ = try await stack.transitions.apply(.cancel, to: id, by: orders.customer)
      #expect(try await Self.job(stack.client, of: id) == "drop")
      let (decision, order) = try await OrderPacking(store: stack.store).pack(
        id, warehouse: "eu-central", packingList: list)
      #expect(decision == .skip)
      #expect(order.status == .cancelled && order.fulfillment?.status == .cancelled)
      #expect(try await Self.packedEvents(stack.client, of: id) == 0)
    }
  }

  @Test func anOrderShippedBeforeItWasPackedIsSkippedAndItsJobClosed() async throws {
    try await orders.withPaidOrder { stack, id in
      _ = try await stack.transitions.apply(
        .ship(carrier: "DHL", trackingNumber: "1"), to: id, by: OrderTransitionsTests.admin)
      #expect(try await Self.job(stack.client, of: id) == nil)
      let (decision, order) = try await OrderPacking(store: stack.store).pack(
        id, warehouse: "eu-central", packingList: list)
      #expect(decision == .skip && order.status == .shipped && order.fulfillment?.status == .queued)
    }
  }

  @Test func anUnknownOrderIsNotFound() async throws {
    try await orders.withPaidOrder { stack, _ in
      await #expect(throws: OrderError.notFound("order")) {
        try await OrderPacking(store: stack.store).pack(UUID(), warehouse: "uk", packingList: list)
      }
    }
  }

  @Test func twoReportsAtOncePackOnce() async throws {
    try await orders.withPaidOrder { stack, id in
      let packing = OrderPacking(store: stack.store)
      async let first = packing.pack(id, warehouse: "eu-central", packingList: list)
      async let second = packing.pack(id, warehouse: "eu-north", packingList: list)
      let decisions = try await [first.0, second.0]
      #expect(decisions.sorted { "\($0)" < "\($1)" } == [.alreadyPacked, .pack])
      #expect(try await Self.packedEvents(stack.client, of: id) == 1)
    }
  }

  @Test func aReportRacingACancelLeavesTheOrderCancelledAndUnpackedOrPackedFirst() async throws {
    try await orders.withPaidOrder { stack, id in
      let packing = OrderPacking(store: stack.store)
      async let packed = packing.pack(id, warehouse: "eu-central", packingList: list)
      async let cancelled = stack.transitions.apply(.cancel, to: id, by: orders.customer)
      let (decision, _) = try await packed
      let order = try await cancelled
      // The cancel always wins over the warehouse: the order ends cancelled, its job dropped.
      #expect(order.status == .cancelled && order.fulfillment?.status == .cancelled)
      #expect(try await Self.packedEvents(stack.client, of: id) == (decision == .pack ? 1 : 0))
      #expect(try await Self.job(stack.client, of: id) == (decision == .pack ? nil : "drop"))
    }
  }

  @Test func aReportRacingAShipLeavesTheOrderShippedAndPackedOnlyIfTheReportCameFirst() async throws {
    try await orders.withPaidOrder { stack, id in
      let packing = OrderPacking(store: stack.store)
      async let packed = packing.pack(id, warehouse: "eu-central", packingList: list)
      async let shipped = stack.transitions.apply(
        .ship(carrier: "DHL", trackingNumber: "1"), to: id, by: OrderTransitionsTests.admin)
      let (decision, _) = try await packed
      #expect(try await shipped.status == .shipped)
      let order = try #require(try await stack.store.order(id: id))
      // The ship never waits for the warehouse; a report after it changes nothing.
      #expect(order.status == .shipped && [.pack, .skip].contains(decision))
      #expect(order.fulfillment?.status == (decision == .pack ? .packed : .queued))
      #expect(try await Self.packedEvents(stack.client, of: id) == (decision == .pack ? 1 : 0))
      #expect(try await Self.job(stack.client, of: id) == nil)
    }
  }
}
