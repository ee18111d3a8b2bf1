import Configuration
import Foundation
import PostgresNIO
import ShopPersistence
import ShopServiceHost

/// The product service as the service host runs it: the catalog behind its gRPC service, and
/// the sweeper that releases expired reservations.
public struct ProductServiceDeclaration: ServiceDeclaration {
  public static let name = "product"
  public static let defaults = ServiceDefaults(grpcPort: 50052, adminPort: 3002, databaseName: "products")

  public static func migrations() throws -> [Migration] {
    try bundledMigrations(in: .module, eventSchemaVersion: 2)
  }

  public let configuration: ProductServiceConfiguration

  public init(config: ConfigReader) throws {
    configuration = ProductServiceConfiguration(config: config)
  }

  public func postgresConfiguration(_ base: PostgresClient.Configuration) -> PostgresClient.Configuration {
    Self.searchSettings(base, typoThreshold: configuration.typoThreshold)
  }

  /// The client configuration with the session settings search relies on.
  public static func searchSettings(
    _ base: PostgresClient.Configuration, typoThreshold: Double = 0.3
  ) -> PostgresClient.Configuration {
    var configuration = base
    // How similar a catalog word must be to stand in for a misspelt one (`%`). One swapped
    // pair of letters in a seven-letter word scores 0.33.
    configuration.options.additionalStartupParameters = [
      ("pg_trgm.similarity_threshold", String(typoThreshold))
    ]
    return configuration
  }

  public func parts(_ resources: ServiceResources) async throws -> ServiceParts {
    let store = PostgresProductStore(client: resources.postgres, logger: resources.logger)
    return ServiceParts(
      rpcServices: [ProductRPCService(catalog: ProductCatalog(store: store))],
      accessPolicy: ProductRPCService<PostgresProductStore>.accessPolicy,
      services: [ReservationSweeper(store: store, interval: configuration.sweepInterval, logger: resources.logger)])
  }
}
