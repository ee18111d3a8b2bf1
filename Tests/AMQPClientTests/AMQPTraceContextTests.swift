import AMQPProtocol
import Instrumentation
import ServiceContextModule
import Testing

@testable import AMQPClient

/// The header helpers with a stand-in for the process's instrument, which these tests do not
/// bootstrap globally.
@Suite struct AMQPTraceContextTests {
  enum TraceParentKey: ServiceContextKey {
    typealias Value = String
    static let nameOverride: String? = "traceparent"
  }

  /// Carries one W3C-style header through the injector and extractor it is given.
  struct HeaderInstrument: Instrument {
    func inject<Carrier, Inject: Injector>(
      _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    )
    where Inject.Carrier == Carrier {
      guard let value = context[TraceParentKey.self] else { return }
      injector.inject(value, forKey: "traceparent", into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(
      _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    )
    where Extract.Carrier == Carrier {
      context[TraceParentKey.self] = extractor.extract(key: "traceparent", from: carrier)
    }
  }

  let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

  @Test func theTraceContextTravelsInTheHeadersBesideTheOthers() {
    var context = ServiceContext.topLevel
    context[TraceParentKey.self] = traceparent
    var properties = AMQPBasicProperties(headers: ["tenant": .string("shop")])
    properties.injectTraceContext(context, using: HeaderInstrument())
    #expect(properties.headers?["traceparent"] == .string(traceparent))
    #expect(properties.headers?["tenant"] == .string("shop"))

    let extracted = properties.extractTraceContext(using: HeaderInstrument())
    #expect(extracted[TraceParentKey.self] == traceparent)
  }

  @Test func messagesWithoutHeadersGiveTheContextTheyWereGiven() {
    var base = ServiceContext.topLevel
    base[TraceParentKey.self] = "kept"
    #expect(
      AMQPBasicProperties().extractTraceContext(into: base, using: HeaderInstrument())[TraceParentKey.self] == "kept")
    var properties = AMQPBasicProperties()
    properties.injectTraceContext(.topLevel, using: HeaderInstrument())
    #expect(properties.headers == [:])
  }

  @Test func headersThatAreNotStringsAreNotTakenForTraceContext() {
    let properties = AMQPBasicProperties(headers: ["traceparent": .int32(7)])
    #expect(AMQPHeadersExtractor().extract(key: "traceparent", from: properties.headers!) == nil)
    #expect(properties.extractTraceContext(using: HeaderInstrument())[TraceParentKey.self] == nil)
  }
}
