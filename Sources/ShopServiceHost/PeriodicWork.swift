import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until the service group shuts down. A failed round is logged
/// as `failure` and the next one runs on time, so that an outage of what the work needs only
/// pauses it.
public func repeatUntilShutdown(
  every interval: Duration, logger: Logger, failure: String, _ work: @Sendable () async throws -> Void
) async {
  while !Task.isShuttingDownGracefully && !Task.isCancelled {
    do {
      try await work()
    } catch {
      logger.warning("\(failure)", metadata: ["error.message": "\(error)"])
    }
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
  }
}
