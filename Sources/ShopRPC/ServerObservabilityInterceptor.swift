import GRPCCore
import Logging
import Metrics
import ServiceContextModule
import ShopObservability
import Tracing

/// Gives every incoming call its request id, trace context (a server span continuing the
/// caller's trace), RED metrics (`rpc_server_requests_total`, `rpc_server_duration_seconds`
/// by method and status code) and one `info` line inside its trace, so that `shop logs
/// --trace` shows what each service did for a request.
public struct ServerObservabilityInterceptor: ServerInterceptor {
  private let logger: Logger

  public init(logger: Logger) {
    self.logger = logger
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    var serviceContext = ServiceContext.current ?? .topLevel
    InstrumentationSystem.instrument.extract(request.metadata, into: &serviceContext, using: MetadataExtractor())
    let incomingID = request.metadata[stringValues: RPCMetadataKeys.requestID].first(where: { _ in true })
    serviceContext.requestID = incomingID.flatMap { RequestID.isAcceptable($0) ? $0 : nil } ?? RequestID.generate()
    serviceContext.clientAddress = request.metadata[stringValues: RPCMetadataKeys.clientAddress].first(where: { _ in
      true
    })

    let method = context.descriptor.fullyQualifiedMethod
    let start = ContinuousClock.now
    return try await withSpan(method, context: serviceContext, ofKind: .server) { span in
      span.attributes["rpc.system"] = "grpc"
      span.attributes["rpc.method"] = method
      let code: String
      let response: StreamingServerResponse<Output>
      do {
        response = try await next(request, context)
        switch response.accepted {
        case .success: code = "ok"
        case .failure(let error): code = String(describing: error.code)
        }
      } catch let error as RPCError {
        finish(method: method, code: String(describing: error.code), since: start)
        throw error
      } catch let error where error is any RPCErrorConvertible {
        // A service's own answer (not found, invalid): expected, so no error log.
        let code = (error as? any RPCErrorConvertible)?.rpcErrorCode
        finish(method: method, code: code.map { String(describing: $0) } ?? "unknown", since: start)
        throw error
      } catch {
        finish(method: method, code: "unknown", since: start)
        logger.error("call failed", metadata: ["rpc.method": "\(method)", "error.message": "\(error)"])
        throw error
      }
      span.attributes["rpc.grpc.status_code"] = code
      finish(method: method, code: code, since: start)
      return response
    }
  }

  private func finish(method: String, code: String, since start: ContinuousClock.Instant) {
    let elapsed = (ContinuousClock.now - start).nanoseconds
    let dimensions = [("rpc_method", method), ("rpc_grpc_status_code", code)]
    Counter(label: "rpc_server_requests_total", dimensions: dimensions).increment()
    Timer(label: "rpc_server_duration_seconds", dimensions: [("rpc_method", method)]).recordNanoseconds(elapsed)
    logger.info(
      "call",
      metadata: [
        "event.dataset": "rpc.server", "rpc.method": "\(method)", "rpc.grpc.status_code": "\(code)",
        // ECS: nanoseconds.
        "event.duration": .stringConvertible(elapsed),
      ])
  }
}

extension Duration {
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
