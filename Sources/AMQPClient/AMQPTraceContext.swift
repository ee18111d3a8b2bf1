import AMQPProtocol
import Instrumentation
import ServiceContextModule

/// Writes trace context (W3C `traceparent`, `tracestate`, …) into message headers, for
/// `InstrumentationSystem.instrument.inject(_:into:using:)`.
public struct AMQPHeadersInjector: Injector {
  public init() {}

  public func inject(_ value: String, forKey key: String, into headers: inout AMQPTable) {
    headers[key] = .string(value)
  }
}

/// Reads trace context from message headers, for
/// `InstrumentationSystem.instrument.extract(_:into:using:)`.
public struct AMQPHeadersExtractor: Extractor {
  public init() {}

  public func extract(key: String, from headers: AMQPTable) -> String? {
    headers[key]?.stringValue
  }
}

extension AMQPBasicProperties {
  /// Adds the trace context of `context` to the headers, so that the consumer's work joins
  /// the publisher's trace. `instrument` is the process's bootstrapped one unless given.
  public mutating func injectTraceContext(
    _ context: ServiceContext, using instrument: any Instrument = InstrumentationSystem.instrument
  ) {
    var headers = self.headers ?? [:]
    instrument.inject(context, into: &headers, using: AMQPHeadersInjector())
    self.headers = headers
  }

  /// The trace context the publisher put into the headers, added to `context`.
  public func extractTraceContext(
    into context: ServiceContext = .topLevel, using instrument: any Instrument = InstrumentationSystem.instrument
  ) -> ServiceContext {
    var context = context
    guard let headers else { return context }
    instrument.extract(headers, into: &context, using: AMQPHeadersExtractor())
    return context
  }
}
