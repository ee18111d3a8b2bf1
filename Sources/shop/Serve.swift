import APIGateway
import ArgumentParser
import FulfillmentWorker
import Logging
import NotificationService
import OrderService
import PaymentSandbox
import ProductService
import ServiceLifecycle
import ShopConfiguration
import ShopObservability
import ShopServiceHost
import UnixSignals
import UserService

/// `shop serve <role>`: runs one service until SIGTERM or SIGINT, then shuts it down
/// gracefully.
struct Serve: AsyncParsableCommand {
  enum Role: String, ExpressibleByArgument, CaseIterable {
    case user
    case product
    case order
    case notification
    case gateway
    case fulfillment
    case paymentSandbox = "payment-sandbox"
  }

  static let configuration = CommandConfiguration(abstract: "Run a service.")

  @Argument(help: "The role to run: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
  var role: Role

  @Argument(parsing: .captureForPassthrough, help: "Configuration options, such as --http-port 8081.")
  var options: [String] = []

  func run() async throws {
    let config = ShopConfig.reader(arguments: options)
    let observability = try Observability.bootstrap(.init(serviceName: role.rawValue, config: config))
    let logger = Logger(label: "shop.\(role.rawValue)")
    let services: [any Service]
    switch role {
    case .user:
      services = [
        try await ServiceHost.group(
          UserServiceDeclaration.self, config: config, registry: observability.registry, logger: logger)
      ]
    case .product:
      services = [
        try await ServiceHost.group(
          ProductServiceDeclaration.self, config: config, registry: observability.registry, logger: logger)
      ]
    case .order:
      services = [
        try await ServiceHost.group(
          OrderServiceDeclaration.self, config: config, registry: observability.registry, logger: logger)
      ]
    case .notification:
      services = [
        try await ServiceHost.group(
          NotificationServiceDeclaration.self, config: config, registry: observability.registry, logger: logger)
      ]
    case .paymentSandbox:
      services = [
        try await ServiceHost.group(
          PaymentSandboxDeclaration.self, config: config, registry: observability.registry, logger: logger)
      ]
    case .fulfillment:
      services = try FulfillmentApp.services(
        configuration: try FulfillmentConfiguration(config: config), registry: observability.registry, logger: logger)
    case .gateway:
      services = try GatewayApp.services(
        configuration: try GatewayConfiguration(config: config), registry: observability.registry, logger: logger)
    }
    try await Self.run(services, observability: observability, name: role.rawValue, logger: logger)
  }

  /// Runs a process's services after its observability ones, in one group, until SIGTERM or
  /// SIGINT.
  static func run(
    _ services: [any Service], observability: Observability.Handles, name: String, logger: Logger
  ) async throws {
    let group = ServiceGroup(
      configuration: .init(
        services: (observability.services + services).map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
      )
    )
    logger.info("starting", metadata: ["service.name": "\(name)"])
    try await group.run()
  }
}
