import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The admin HTTP port every service has: health and metrics, nothing a client calls.
public enum AdminServer {
  /// - Parameter routes: more routes beside the operations ones: the API of a service that
  ///   speaks HTTP rather than gRPC, measured (RED per route) and traced like any API.
  public static func make(
    host: String, port: Int, health: HealthMonitor, registry: PrometheusCollectorRegistry,
    routes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil, logger: Logger
  ) -> some Service {
    let router = Router()
    router.addOperationsRoutes(health: health, registry: registry)
    if let routes {
      router.add(middleware: MetricsMiddleware())
      router.add(middleware: APITracingMiddleware())
      routes(router)
    }
    return Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "\(health.service)-admin"),
      logger: logger
    )
  }
}
