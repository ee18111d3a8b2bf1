import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopDiscovery

/// `shop traffic`: the generator as a long-running program, steered through its control
/// port. It starts in the configured mode (`pause` by default), prepares its accounts in the
/// background, and runs until it is told to stop.
public enum TrafficApp {
  public static let name = "traffic"

  public static func services(
    configuration: TrafficConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
  ) -> [any Service] {
    let generator = LoadGenerator(
      configuration: configuration, users: configuration.users, settings: configuration.settings, logger: logger)
    // Registered like a worker, so that its metrics are scraped wherever it runs.
    let registration = configuration.discovery?.registration(
      role: name, host: configuration.controlHost, port: configuration.controlPort,
      adminPort: configuration.controlPort, logger: logger)
    let health = HealthMonitor(
      service: name,
      checks: [
        // Until its customers are logged in the generator starts no session; it says so.
        HealthCheck(name: "accounts", impact: .degrading) {
          guard generator.engine.users > 0 else {
            throw TrafficError(.setupFailed, "the customers' accounts are not ready yet")
          }
        }
      ] + (registration.map { [$0.healthCheck] } ?? []))
    let control = ControlRoutes(engine: generator.engine)
    let admin = AdminServer.make(
      host: configuration.controlHost, port: configuration.controlPort, health: health, registry: registry,
      routes: { control.add(to: $0) }, logger: logger)
    return [admin, GeneratorService(generator: generator, logger: logger)] + (registration.map { [$0] } ?? [])
  }
}

/// Prepares the generator (again every few seconds until the stack lets it), then runs its
/// sessions until graceful shutdown, then closes its connections.
struct GeneratorService: Service {
  let generator: LoadGenerator
  let logger: Logger

  func run() async throws {
    let engine = generator.engine
    await withGracefulShutdownHandler {
      var runner: JourneyRunner?
      while runner == nil && !Task.isShuttingDownGracefully && !Task.isCancelled {
        do {
          runner = try await generator.prepare()
          logger.info("virtual users ready", metadata: ["traffic.users": "\(engine.users)"])
        } catch {
          logger.warning("preparing the virtual users failed; trying again", metadata: ["error.message": "\(error)"])
          try? await Task.sleep(for: .seconds(5))
        }
      }
      if let runner { await generator.run(runner) }
    } onGracefulShutdown: {
      engine.stop()
    }
    await generator.shutdown()
  }
}
