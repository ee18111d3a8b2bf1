import AMQPClient
import Synchronization

/// A confirm-mode channel, opened on first use and again whenever it has closed (a channel
/// error); the connection's recovery restores it after a lost connection.
final class ConfirmChannel: Sendable {
  private let amqp: AMQPConnection
  private let prepare: @Sendable (AMQPChannel) async throws -> Void
  private let current = Mutex<AMQPChannel?>(nil)

  /// `prepare` runs on every new channel, after confirm mode is on.
  init(amqp: AMQPConnection, prepare: @escaping @Sendable (AMQPChannel) async throws -> Void = { _ in }) {
    self.amqp = amqp
    self.prepare = prepare
  }

  func channel(timeout: Duration? = nil) async throws -> AMQPChannel {
    if let channel = current.withLock({ $0 }), channel.isOpen { return channel }
    let channel = try await amqp.openChannel(timeout: timeout)
    do {
      try await channel.confirmSelect(timeout: timeout)
      try await prepare(channel)
    } catch {
      try? await channel.close()
      throw error
    }
    // Of two callers that both opened one, the first keeps its channel.
    let kept = current.withLock { current -> AMQPChannel in
      if let current, current.isOpen { return current }
      current = channel
      return channel
    }
    if kept !== channel { try? await channel.close() }
    return kept
  }

  /// Closes the channel; the next use opens a new one.
  func reset() async {
    let channel = current.withLock { current in
      defer { current = nil }
      return current
    }
    try? await channel?.close()
  }
}
