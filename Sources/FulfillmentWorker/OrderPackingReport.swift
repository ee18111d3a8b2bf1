import Foundation
import FulfillmentQueue
import GRPCCore
import ShopContracts
import ShopRPC
import ShopResilience

/// What the order service said of a packed order.
public enum PackOutcome: String, Sendable {
  case packed
  case alreadyPacked = "already_packed"
  case skipped
}

/// Why a job could not be finished this time.
public enum PackFailure: Error, Equatable, CustomStringConvertible {
  /// It will never work as it is (the order does not exist, the job cannot be read): counted
  /// against `fulfillment.maxAttempts`.
  case permanent(String)
  /// Something it needs is down (the order service, Redis): waited out, not counted.
  case transient(String)

  public var description: String {
    switch self {
    case .permanent(let reason), .transient(let reason): reason
    }
  }
}

/// Tells the order service that an order is packed.
public protocol PackingReport: Sendable {
  func packed(_ orderID: UUID, plan: PackingPlan) async throws(PackFailure) -> PackOutcome
}

/// The report over gRPC, as the worker's own identity (its certificate).
public struct OrderServicePackingReport<Transport: ClientTransport>: PackingReport {
  let upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>

  public init(upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>) {
    self.upstream = upstream
  }

  public func packed(_ orderID: UUID, plan: PackingPlan) async throws(PackFailure) -> PackOutcome {
    var request = Shop_Order_V1_PackOrderRequest()
    request.orderID = orderID.uuidString.lowercased()
    request.warehouse = plan.warehouse
    request.packingList = plan.lines.map { line in
      var packed = Shop_Order_V1_PackedLine()
      packed.productID = line.productID.uuidString.lowercased()
      packed.name = line.name
      packed.quantity = line.quantity
      return packed
    }
    let response: Shop_Order_V1_PackOrderResponse
    do {
      // Packing twice changes nothing, so the call may be retried.
      response = try await upstream.idempotent { try await $0.packOrder(request, options: $1) }
    } catch let error as RPCError {
      switch error.code {
      case .notFound, .invalidArgument, .failedPrecondition, .permissionDenied, .unauthenticated, .unimplemented:
        throw .permanent("the order service refused the report: \(error.code): \(error.message)")
      default:
        throw .transient("the order service did not answer: \(error.code): \(error.message)")
      }
    } catch {
      throw .transient("the order service did not answer: \(error)")
    }
    switch response.outcome {
    case .packed: return .packed
    case .alreadyPacked: return .alreadyPacked
    case .skipped: return .skipped
    default: throw .permanent("the order service answered an unknown outcome \(response.outcome.rawValue)")
    }
  }
}
