import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import ServiceContextModule
import ShopContracts
import ShopRPC

/// `GET /api/v1/orders/{id}/events` of API.md: the order's status, then each change as it
/// happens, as server-sent events, until the order is completed or cancelled. The order is
/// read as the caller (so another user's order is 404 like any read of it); the changes come
/// from ``OrderUpdates``, with a comment line every `keepAliveInterval`.
struct OrderEventRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>
  let updates: OrderUpdates
  let keepAliveInterval: Duration

  func add(to orders: RouterGroup<GatewayRequestContext>) {
    orders.get("{id}/events", use: events)
  }

  @Sendable func events(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let id = context.parameters.get("id") ?? ""
    let lastEventID = try Self.lastEventID(request.headers[.lastEventID])
    // Before the read, so that no change falls between the two.
    let subscription = updates.subscribe(orderID: id)
    let order: Shop_Order_V1_Order
    do {
      order = try await read(id)
    } catch {
      subscription.end()
      throw error
    }
    let (start, first) = OrderEventStream.start(history: Self.history(order), lastEventID: lastEventID)
    // The body is written after the handler returns, outside the caller's context.
    let caller = ServiceContext.current ?? .topLevel
    let interval = keepAliveInterval
    let updates = updates
    // Nil when unreadable now (the token may have expired): the client resumes with
    // Last-Event-ID.
    let reread: @Sendable () async -> [(status: String, at: String)]? = { [self] in
      guard let order = try? await ServiceContext.withValue(caller, operation: { try await read(id) }) else {
        return nil
      }
      return Self.history(order)
    }
    let body = ResponseBody { writer in
      defer { subscription.end() }
      let keepAlive = Task {
        while !Task.isCancelled {
          try await Task.sleep(for: interval)
          updates.keepAlive(subscription)
        }
      }
      defer { keepAlive.cancel() }
      var stream = start
      for change in first { try await writer.write(ServerSentEvent.status(change)) }
      if !stream.isFinished {
        following: for await signal in subscription.signals {
          let changes: [OrderEventStream.Change]
          switch signal {
          case .keepAlive:
            try await writer.write(ServerSentEvent.keepAlive)
            continue
          case .change(let event):
            switch stream.receive(event) {
            case .send(let change):
              changes = [change]
            case .ignore:
              changes = []
            case .reread:
              guard let history = await reread() else { break following }
              changes = stream.reread(history)
            }
          case .resumed:
            guard let history = await reread() else { break following }
            changes = stream.reread(history)
          }
          for change in changes { try await writer.write(ServerSentEvent.status(change)) }
          if stream.isFinished { break }
        }
      }
      try await writer.finish(nil)
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: "text/event-stream", .cacheControl: "no-cache",
        .accelBuffering: "no",
      ],
      body: body)
  }

  private func read(_ id: String) async throws -> Shop_Order_V1_Order {
    try await OrderRoutes.order(id, from: upstream)
  }

  static func history(_ order: Shop_Order_V1_Order) -> [(status: String, at: String)] {
    order.statusHistory.map { ($0.status, $0.at) }
  }

  /// The sequence number a resuming client last received; none when it is not resuming.
  static func lastEventID(_ value: String?) throws -> Int? {
    guard let value else { return nil }
    guard let sequence = Int(value.trimmingCharacters(in: .whitespaces)), sequence >= 0 else {
      throw APIProblem.validation(
        "Last-Event-ID must be the id of an event of this stream",
        fields: [("Last-Event-ID", "must be a non-negative integer")])
    }
    return sequence
  }
}
