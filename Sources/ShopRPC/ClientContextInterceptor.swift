import GRPCCore
import Metrics
import ServiceContextModule
import ShopObservability
import Tracing

/// Carries the current request id, trace context and the end user's token into every outgoing
/// call, in a client span, and records `rpc_client_requests_total` and
/// `rpc_client_duration_seconds`.
public struct ClientContextInterceptor: ClientInterceptor {
  public init() {}

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>,
    context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    let method = context.descriptor.fullyQualifiedMethod
    let start = ContinuousClock.now
    return try await withSpan(method, ofKind: .client) { span in
      var request = request
      let current = ServiceContext.current ?? .topLevel
      InstrumentationSystem.instrument.inject(current, into: &request.metadata, using: MetadataInjector())
      if let id = current.requestID {
        request.metadata.replaceOrAddString(id, forKey: RPCMetadataKeys.requestID)
      }
      if let address = current.clientAddress {
        request.metadata.replaceOrAddString(address, forKey: RPCMetadataKeys.clientAddress)
      }
      if let token = current.callerIdentity?.token {
        request.metadata.replaceOrAddString("Bearer \(token)", forKey: RPCMetadataKeys.authorization)
      }
      span.attributes["rpc.system"] = "grpc"
      span.attributes["rpc.method"] = method
      let code: String
      do {
        let response = try await next(request, context)
        switch response.accepted {
        case .success: code = "ok"
        case .failure(let error): code = String(describing: error.code)
        }
        Self.record(method: method, code: code, since: start)
        return response
      } catch let error as RPCError {
        Self.record(method: method, code: String(describing: error.code), since: start)
        throw error
      } catch {
        Self.record(method: method, code: "unknown", since: start)
        throw error
      }
    }
  }

  private static func record(method: String, code: String, since start: ContinuousClock.Instant) {
    Counter(label: "rpc_client_requests_total", dimensions: [("rpc_method", method), ("rpc_grpc_status_code", code)])
      .increment()
    Timer(label: "rpc_client_duration_seconds", dimensions: [("rpc_method", method)])
      .recordNanoseconds(Int64((ContinuousClock.now - start).nanoseconds))
  }
}
