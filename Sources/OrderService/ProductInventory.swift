import Foundation
import GRPCCore
import ShopContracts
import ShopRPC

/// ``Inventory`` over the product service's gRPC API, through the upstream client. Every call
/// here is idempotent (reads, or changes keyed by the order id), so each may be retried.
public struct ProductInventory<Transport: ClientTransport>: Inventory {
  public typealias Client = Shop_Product_V1_ProductService.Client<Transport>
  let upstream: Upstream<Client>

  public init(upstream: Upstream<Client>) {
    self.upstream = upstream
  }

  public func products(_ ids: [UUID]) async throws -> [UUID: ProductInfo] {
    try await withThrowingTaskGroup(of: ProductInfo?.self) { group in
      for id in ids {
        group.addTask {
          var request = Shop_Product_V1_GetProductRequest()
          request.id = id.lowercased
          do {
            let product = try await UpstreamFailure.mapped("product") {
              try await upstream.idempotent { try await $0.getProduct(request, options: $1) }
            }
            return ProductInfo(
              id: id, name: product.name,
              price: Money(amount: product.price.amount, currency: product.price.currency),
              available: product.available)
          } catch let error as RPCError where error.code == .notFound {
            return nil
          }
        }
      }
      var found: [UUID: ProductInfo] = [:]
      for try await product in group { if let product { found[product.id] = product } }
      return found
    }
  }

  public func reserve(orderID: UUID, lines: [(UUID, Int64)], ttl: Duration) async throws -> ReservationResult {
    var request = Shop_Product_V1_ReserveRequest()
    request.orderID = orderID.lowercased
    request.ttlSeconds = Int32(ttl.components.seconds)
    request.lines = lines.map { id, quantity in
      var line = Shop_Product_V1_ReservationLine()
      line.productID = id.lowercased
      line.quantity = quantity
      return line
    }
    do {
      _ = try await UpstreamFailure.mapped("product") {
        try await upstream.idempotent { try await $0.reserve(request, options: $1) }
      }
      return .reserved
    } catch let error as RPCError where Self.code(of: error) == "out_of_stock" {
      return .outOfStock(Self.shortLines(in: error))
    }
  }

  public func commit(orderID: UUID) async throws -> SagaOutcome {
    var request = Shop_Product_V1_OrderReservationRequest()
    request.orderID = orderID.lowercased
    do {
      _ = try await UpstreamFailure.mapped("product") {
        try await upstream.idempotent { try await $0.commit(request, options: $1) }
      }
      return .committed
    } catch let error as RPCError
      where ["reservation_expired", "invalid_transition", "not_found"].contains(Self.code(of: error))
    {
      // A reservation released (by its expiry) or gone cannot be committed any more.
      return .reservationExpired
    }
  }

  public func release(orderID: UUID) async throws {
    try await giveBack(orderID) { try await $0.release($1, options: $2) }
  }

  public func restock(orderID: UUID) async throws {
    try await giveBack(orderID) { try await $0.restock($1, options: $2) }
  }

  /// Gives the order's stock back through `call`, idempotent on the order id.
  private func giveBack(
    _ orderID: UUID,
    _ call:
      @Sendable (
        Client, Shop_Product_V1_OrderReservationRequest, CallOptions
      ) async throws -> Shop_Product_V1_ReservationState
  ) async throws {
    var request = Shop_Product_V1_OrderReservationRequest()
    request.orderID = orderID.lowercased
    do {
      _ = try await UpstreamFailure.mapped("product") {
        try await upstream.idempotent { try await call($0, request, $1) }
      }
    } catch let error as RPCError where error.code == .notFound {
      // Nothing was ever held: nothing to give back.
    }
  }

  static func code(of error: RPCError) -> String? {
    error.metadata[stringValues: RPCMetadataKeys.errorCode].first(where: { _ in true })
  }

  /// The short lines the product service lists with `out_of_stock`.
  static func shortLines(in error: RPCError) -> [ShortLine] {
    guard let detail = error.metadata[stringValues: RPCMetadataKeys.errorDetail].first(where: { _ in true }),
      let lines = try? JSONDecoder().decode([ShortLine].self, from: Data(detail.utf8))
    else { return [] }
    return lines
  }
}
