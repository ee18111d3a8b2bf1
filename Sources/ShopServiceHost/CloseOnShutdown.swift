import ServiceLifecycle

/// Runs until the service group shuts down, then closes what it was given: a client that
/// has no life of its own (an HTTP or SMTP client's connections) stops with the service.
public struct CloseOnShutdown: Service {
  let close: @Sendable () async throws -> Void

  public init(_ close: @escaping @Sendable () async throws -> Void) {
    self.close = close
  }

  public func run() async throws {
    try? await gracefulShutdown()
    try await close()
  }
}
