import Hummingbird
import Logging

/// The peer that shows what the framework itself costs: a Hummingbird server with the
/// gateway's `/health/live` answer and nothing else (no middleware, no tracing, no metrics),
/// on the same machine and under the same client as the gateway.
enum FrameworkFloor {
  static func serve(port: Int) async throws {
    let router = Router()
    router.get("/health/live") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    var logger = Logger(label: "gateway-bench.floor")
    logger.logLevel = .warning
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    try await app.runService()
  }
}
