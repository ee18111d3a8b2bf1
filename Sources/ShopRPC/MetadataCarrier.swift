import GRPCCore
import Instrumentation

/// Reads and writes W3C trace context (`traceparent`, `tracestate`) in gRPC metadata.
public struct MetadataExtractor: Extractor {
  public init() {}

  public func extract(key: String, from carrier: Metadata) -> String? {
    carrier[stringValues: key].first(where: { _ in true })
  }
}

public struct MetadataInjector: Injector {
  public init() {}

  public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
    carrier.replaceOrAddString(value, forKey: key)
  }
}
