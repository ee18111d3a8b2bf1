import Foundation
import Hummingbird
import Prometheus
import ShopObservability

extension Router {
  /// Adds `/health`, `/health/live`, `/health/ready` and `/metrics`.
  ///
  /// `/health` answers 200 when `ok` or `degraded` and 503 when `down`; `/health/ready`
  /// answers the same codes, so a balancer stops sending work to a service that is down;
  /// `/health/live` answers 200 while the process serves at all.
  public func addOperationsRoutes(health: HealthMonitor, registry: PrometheusCollectorRegistry) {
    get("/health") { _, _ in
      try Self.healthResponse(await health.report())
    }
    get("/health/ready") { _, _ in
      try Self.healthResponse(await health.report())
    }
    get("/health/live") { _, _ in
      Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
      )
    }
    get("/metrics") { _, _ in
      var buffer: [UInt8] = []
      buffer.reserveCapacity(16 * 1024)
      registry.emit(into: &buffer)
      return Response(
        status: .ok,
        headers: [.contentType: PrometheusCollectorRegistry.contentType],
        body: .init(byteBuffer: ByteBuffer(bytes: buffer))
      )
    }
  }

  private static func healthResponse(_ report: HealthReport) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = try encoder.encode(report)
    return Response(
      status: report.status == .down ? .serviceUnavailable : .ok,
      headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(bytes: body))
    )
  }
}
