import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The admin HTTP port every service has: health and metrics, nothing a client calls.
public enum AdminServer {
  public static func make(
    host: String, port: Int, health: HealthMonitor, registry: PrometheusCollectorRegistry, logger: Logger
  ) -> some Service {
    let router = Router()
    router.addOperationsRoutes(health: health, registry: registry)
    return Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "\(health.service)-admin"),
      logger: logger
    )
  }
}
