import Logging
import PostgresNIO

extension PostgresClient {
  /// Calls `wake` for every notification on `channel` until the task is cancelled, and once
  /// each time listening (re)starts, for what was committed while nobody listened. A lost
  /// listening connection is replaced after `retryInterval`; callers poll as well, so a
  /// wake-up missed then only comes later.
  public func wakeOnNotifications(
    on channel: String, retryInterval: Duration, logger: Logger, _ wake: @escaping @Sendable () -> Void
  ) async {
    while !Task.isCancelled {
      do {
        try await withConnection { connection in
          try await connection.listen(on: channel) { notifications in
            wake()
            for try await _ in notifications { wake() }
          }
        }
      } catch {
        if Task.isCancelled { return }
        logger.debug(
          "listener lost; polling until it is back",
          metadata: ["db.channel": "\(channel)", "error.message": "\(error)"])
        try? await Task.sleep(for: retryInterval)
      }
    }
  }
}
