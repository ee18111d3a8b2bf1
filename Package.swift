// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "swiftshop",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "shop", targets: ["shop"]),
    .executable(name: "redis-bench", targets: ["RedisBenchmark"]),
    .executable(name: "amqp-bench", targets: ["AMQPBenchmark"]),
    .executable(name: "catalog-bench", targets: ["CatalogBenchmark"]),
    .executable(name: "gateway-bench", targets: ["GatewayBenchmark"]),
    .executable(name: "events-bench", targets: ["EventsBenchmark"]),
    .executable(name: "checkout-bench", targets: ["CheckoutBenchmark"]),
    .executable(name: "smtp-bench", targets: ["SMTPBenchmark"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(
      url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
      traits: [.defaults, "CommandLineArguments"]
    ),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    .package(url: "https://github.com/apple/swift-service-context.git", from: "1.5.1"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
  ],
  targets: [
    .executableTarget(
      name: "shop",
      dependencies: [
        "AMQPClient", "APIGateway", "FulfillmentQueue", "FulfillmentWorker", "NotificationService", "OrderService",
        "PaymentSandbox", "ProductService", "RedisClient", "UserService", "ShopConfiguration", "ShopDiscovery",
        "ShopMessaging", "TrafficGenerator",
        "ShopObservability", "ShopPersistence", "ShopServiceHost",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),

    .target(
      name: "SMTPProtocol",
      dependencies: [.product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "SMTPClient",
      dependencies: [
        "SMTPProtocol",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOTLS", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),

    // Shared platform modules.
    .target(
      name: "ShopConfiguration",
      dependencies: [
        .product(name: "Configuration", package: "swift-configuration")
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopObservability",
      dependencies: [
        "ShopConfiguration",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "OTel", package: "swift-otel"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopAdmin",
      dependencies: [
        "ShopObservability",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopPersistence",
      dependencies: [
        "ShopConfiguration", "ShopResilience",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopMessaging",
      dependencies: [
        "AMQPClient", "AMQPProtocol", "ShopConfiguration", "ShopContracts", "ShopPersistence",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Schema")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopAuth",
      dependencies: [
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopResilience",
      dependencies: [
        .product(name: "Metrics", package: "swift-metrics")
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "EtcdClient",
      dependencies: [
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopDiscovery",
      dependencies: [
        "EtcdClient", "ShopAdmin",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopRPC",
      dependencies: [
        "ShopConfiguration", "ShopDiscovery", "ShopObservability", "ShopResilience",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopServiceHost",
      dependencies: [
        "ShopAdmin", "ShopAuth", "ShopContracts", "ShopDiscovery", "ShopMessaging", "ShopPersistence", "ShopRPC",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopContracts",
      dependencies: [
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "ShopIdempotency",
      dependencies: [
        "ShopPersistence",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Schema")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ShopWebhooks",
      dependencies: [
        "ShopConfiguration",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings
    ),

    // Protocol clients, with no dependency on the rest of the project.
    .target(
      name: "AMQPProtocol",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio")
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "RedisProtocol",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio")
      ],
      swiftSettings: swiftSettings
    ),

    .target(
      name: "RedisClient",
      dependencies: [
        "RedisProtocol",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings
    ),

    .target(
      name: "AMQPClient",
      dependencies: [
        "AMQPProtocol",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),

    .executableTarget(
      name: "AMQPBenchmark",
      dependencies: [
        "AMQPClient", "AMQPProtocol",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      path: "Benchmarks/AMQPBenchmark",
      swiftSettings: swiftSettings
    ),

    .executableTarget(
      name: "EventsBenchmark",
      dependencies: [
        "AMQPClient", "AMQPProtocol", "ShopMessaging", "ShopPersistence",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      path: "Benchmarks/EventsBenchmark",
      swiftSettings: swiftSettings
    ),

    .executableTarget(
      name: "SMTPBenchmark",
      dependencies: [
        "SMTPClient", "SMTPProtocol",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Benchmarks/SMTPBenchmark",
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "RedisBenchmark",
      dependencies: [
        "RedisClient", "RedisProtocol",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      path: "Benchmarks/RedisBenchmark",
      swiftSettings: swiftSettings
    ),

    .executableTarget(
      name: "CatalogBenchmark",
      dependencies: [
        "ProductService", "ShopContracts", "ShopPersistence", "ShopRPC",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      path: "Benchmarks/CatalogBenchmark",
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "GatewayBenchmark",
      dependencies: [
        "ShopContracts", "ShopRPC",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      path: "Benchmarks/GatewayBenchmark",
      swiftSettings: swiftSettings
    ),

    // Services.
    .target(
      name: "UserService",
      dependencies: [
        "RedisClient", "RedisProtocol", "ShopAdmin", "ShopAuth", "ShopConfiguration", "ShopContracts",
        "ShopObservability", "ShopMessaging", "ShopPersistence", "ShopRPC", "ShopServiceHost",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Migrations")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "OrderService",
      dependencies: [
        "FulfillmentQueue", "RedisClient", "RedisProtocol", "ShopAdmin", "ShopConfiguration", "ShopContracts",
        "ShopIdempotency",
        "ShopMessaging", "ShopPersistence", "ShopResilience", "ShopRPC", "ShopServiceHost", "ShopWebhooks",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      resources: [.copy("Migrations")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "FulfillmentQueue",
      dependencies: ["RedisClient", "RedisProtocol"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "FulfillmentWorker",
      dependencies: [
        "FulfillmentQueue", "RedisClient", "ShopAdmin", "ShopConfiguration", "ShopContracts", "ShopDiscovery",
        "ShopResilience", "ShopRPC",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "TrafficGenerator",
      dependencies: [
        "ShopAdmin", "ShopConfiguration", "ShopDiscovery",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "PaymentSandbox",
      dependencies: [
        "ShopConfiguration", "ShopContracts", "ShopIdempotency", "ShopPersistence", "ShopResilience", "ShopServiceHost",
        "ShopWebhooks",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Migrations")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "ProductService",
      dependencies: [
        "ShopAdmin", "ShopConfiguration", "ShopContracts", "ShopMessaging", "ShopObservability", "ShopPersistence",
        "ShopRPC", "ShopServiceHost",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Migrations")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "NotificationService",
      dependencies: [
        "SMTPClient", "SMTPProtocol", "ShopConfiguration", "ShopContracts", "ShopMessaging", "ShopPersistence",
        "ShopRPC", "ShopResilience", "ShopServiceHost", "ShopWebhooks",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      resources: [.copy("Migrations"), .copy("Templates")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "APIGateway",
      dependencies: [
        "AMQPClient", "RedisClient", "RedisProtocol", "ShopAdmin", "ShopAuth", "ShopConfiguration", "ShopContracts",
        "ShopDiscovery", "ShopIdempotency", "ShopMessaging", "ShopObservability", "ShopRPC", "ShopResilience",
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("openapi.yaml")],
      swiftSettings: swiftSettings
    ),

    .executableTarget(
      name: "CheckoutBenchmark",
      dependencies: [
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      path: "Benchmarks/CheckoutBenchmark",
      swiftSettings: swiftSettings
    ),

    // Tests.
    .target(
      name: "ShopTestSupport",
      dependencies: [
        "RedisClient", "RedisProtocol", "ShopPersistence", "ShopRPC",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/ShopTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopAuthTests",
      dependencies: [
        "ShopAuth",
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopContractsTests",
      dependencies: ["ShopContracts"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopIdempotencyTests",
      dependencies: [
        "ShopIdempotency", "ShopTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopWebhooksTests",
      dependencies: ["ShopWebhooks"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "OrderServiceTests",
      dependencies: [
        "FulfillmentQueue", "OrderService", "RedisClient", "RedisProtocol", "ShopContracts", "ShopIdempotency",
        "ShopMessaging",
        "ShopPersistence",
        "ShopResilience", "ShopRPC", "ShopTestSupport", "ShopWebhooks",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "PaymentSandboxTests",
      dependencies: [
        "PaymentSandbox", "ShopContracts", "ShopIdempotency", "ShopTestSupport", "ShopWebhooks",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopResilienceTests",
      dependencies: ["ShopResilience"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopObservabilityTests",
      dependencies: ["ShopObservability"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopServiceHostTests",
      dependencies: [
        "ShopServiceHost", "ShopAuth", "ShopConfiguration", "ShopMessaging", "ShopPersistence", "ShopRPC",
        "ShopTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopAdminTests",
      dependencies: ["ShopAdmin"],
      swiftSettings: swiftSettings
    ),

    .testTarget(
      name: "AMQPProtocolTests",
      dependencies: ["AMQPProtocol"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopMessagingTests",
      dependencies: [
        "AMQPClient", "AMQPProtocol", "ShopContracts", "ShopMessaging", "ShopPersistence", "ShopTestSupport",
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AMQPClientTests",
      dependencies: [
        "AMQPClient", "AMQPProtocol", "ShopTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "RedisProtocolTests",
      dependencies: ["RedisProtocol"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "FulfillmentQueueTests",
      dependencies: ["FulfillmentQueue", "RedisClient", "ShopTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "FulfillmentWorkerTests",
      dependencies: [
        "FulfillmentQueue", "FulfillmentWorker", "RedisClient", "ShopResilience", "ShopTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "TrafficGeneratorTests",
      dependencies: [
        "TrafficGenerator",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "EtcdClientTests",
      dependencies: ["EtcdClient", "ShopTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopDiscoveryTests",
      dependencies: [
        "EtcdClient", "ShopAdmin", "ShopConfiguration", "ShopDiscovery", "ShopTestSupport",
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "RedisClientTests",
      dependencies: [
        "RedisClient", "RedisProtocol", "ShopTestSupport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopRPCTests",
      dependencies: [
        "EtcdClient", "ShopRPC", "ShopConfiguration", "ShopContracts", "ShopDiscovery", "ShopObservability",
        "ShopResilience", "ShopTestSupport",
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ShopPersistenceTests",
      dependencies: ["ShopPersistence", "ShopTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "ProductServiceTests",
      dependencies: [
        "ProductService", "ShopContracts", "ShopMessaging", "ShopPersistence", "ShopTestSupport",
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "UserServiceTests",
      dependencies: [
        "UserService", "AMQPClient", "AMQPProtocol", "RedisClient", "RedisProtocol", "ShopAuth", "ShopContracts",
        "ShopMessaging",
        "ShopPersistence", "ShopRPC", "ShopTestSupport",
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "NotificationServiceTests",
      dependencies: [
        "NotificationService", "SMTPClient", "SMTPProtocol", "ShopContracts", "ShopMessaging", "ShopPersistence",
        "ShopTestSupport", "ShopWebhooks",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "SMTPProtocolTests",
      dependencies: ["SMTPProtocol", .product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "SMTPClientTests",
      dependencies: [
        "SMTPClient", "SMTPProtocol", "ShopTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "APIGatewayTests",
      dependencies: [
        "AMQPClient", "AMQPProtocol", "APIGateway", "RedisClient", "RedisProtocol", "ShopAuth", "ShopContracts",
        "ShopMessaging", "ShopRPC", "ShopResilience", "ShopTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      swiftSettings: swiftSettings
    ),
  ]
)
