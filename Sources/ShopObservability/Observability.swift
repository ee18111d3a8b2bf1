import Logging
import Metrics
import OTel
import Prometheus
import ServiceContextModule
import ServiceLifecycle
import Tracing

/// The process-wide logging, metrics and tracing bootstrap; called once, from `main`.
public enum Observability {
  /// What the bootstrap leaves behind: the registry `/metrics` renders, and the services
  /// (the trace exporter, the process's resource metrics) that must run in the process's
  /// service group.
  public struct Handles: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let services: [any Service]
  }

  public static func bootstrap(_ configuration: ObservabilityConfiguration) throws -> Handles {
    var traceKeys = OTel.Configuration.LoggingMetadataProviderConfiguration.default
    traceKeys.traceIDKey = "trace.id"
    traceKeys.spanIDKey = "span.id"
    traceKeys.traceFlagsKey = "trace.flags"
    let metadataProvider = Logger.MetadataProvider.multiplex([
      requestIDMetadataProvider,
      OTel.makeLoggingMetadataProvider(configuration: traceKeys),
    ])
    let serviceName = configuration.serviceName
    let level = configuration.logLevel
    LoggingSystem.bootstrap(
      { label, provider in
        ECSLogHandler(label: label, serviceName: serviceName, logLevel: level, metadataProvider: provider)
      },
      metadataProvider: metadataProvider
    )

    let registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.defaultDurationHistogramBuckets = durationBuckets
    MetricsSystem.bootstrap(factory)

    var otel = OTel.Configuration.default
    otel.serviceName = configuration.serviceName
    otel.metrics.enabled = false
    otel.logs.enabled = false
    otel.diagnosticLogger = .custom(Logger(label: "otel"))
    otel.propagators = [.traceContext]
    if let endpoint = configuration.otlpEndpoint {
      otel.traces.exporter = .otlp
      otel.traces.otlpExporter.protocol = .httpProtobuf
      otel.traces.otlpExporter.endpoint = endpoint.hasSuffix("/v1/traces") ? endpoint : endpoint + "/v1/traces"
      if let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(
        ratio: configuration.sampleRatio)
      {
        otel.traces.sampler = sampler
      }
    } else {
      // Spans still get ids, so logs and propagated context name the trace; nothing leaves.
      otel.traces.exporter = .none
    }
    // Hand finished spans over often enough that a busy service does not overflow the queue.
    otel.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
    otel.traces.batchSpanProcessor.maxQueueSize = 8192
    let tracing = try OTel.makeTracingBackend(configuration: otel)
    InstrumentationSystem.bootstrap(tracing.factory)
    return Handles(registry: registry, services: [tracing.service, ProcessMetrics(registry: registry)])
  }

  /// Latency buckets from 1 ms to 10 s, for HTTP and gRPC durations.
  public static let durationBuckets: [Duration] = [
    .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    .milliseconds(2500), .seconds(5), .seconds(10),
  ]

  static let requestIDMetadataProvider = Logger.MetadataProvider {
    guard let id = ServiceContext.current?.requestID else { return [:] }
    return ["http.request.id": .string(id)]
  }
}
