import AMQPClient
import AMQPProtocol
import Foundation
import Instrumentation
import Logging
import PostgresNIO
import ServiceContextModule

/// Records events in the service's `outbox` table inside the caller's transaction, so that an
/// event exists exactly when the change it describes committed. ``OutboxRelay`` publishes it.
public struct Outbox: Sendable {
  /// The service that records, the envelope's `source` (`user-service`).
  public let source: String

  public init(source: String) {
    self.source = source
  }

  /// Inserts `event` with the trace context of the current task, so that its consumers join
  /// the trace of the request that caused it. `instrument` is the process's bootstrapped one
  /// unless given.
  public func record<Payload>(
    _ event: OutboxEvent<Payload>, in transaction: PostgresConnection, logger: Logger,
    instrument: any Instrument = InstrumentationSystem.instrument
  ) async throws {
    var row = OutboxInsert(self)
    try row.append(event, instrument: instrument)
    try await transaction.query("\(row)", logger: logger)
  }

  /// The `traceparent` the relay puts into the message's headers.
  static func traceparent(of context: ServiceContext?, using instrument: any Instrument) -> String? {
    guard let context else { return nil }
    var headers = AMQPTable()
    instrument.inject(context, into: &headers, using: AMQPHeadersInjector())
    return headers["traceparent"]?.stringValue
  }
}
