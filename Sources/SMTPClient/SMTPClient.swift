import Logging
import NIOCore
import NIOPosix
import SMTPProtocol
import Synchronization

/// Sends mail through one server, keeping a few sessions open between messages so that a
/// burst of mail does not pay a TCP, TLS and AUTH handshake per message. Many tasks may send
/// at once: each takes an idle session or opens one.
public final class SMTPClient: Sendable {
  private struct Idle {
    let connection: SMTPConnection
    let since: ContinuousClock.Instant
  }

  private struct State {
    var idle: [Idle] = []
    var shutDown = false
  }

  public let configuration: SMTPConfiguration
  private let eventLoopGroup: any EventLoopGroup
  private let logger: Logger
  private let state = Mutex(State())

  public init(
    configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger
  ) {
    self.configuration = configuration
    self.eventLoopGroup = eventLoopGroup
    self.logger = logger
  }

  /// Sends `message` to the recipients of its `To`.
  ///
  /// - Throws: ``SMTPError``; ``SMTPError/isPermanent`` says whether sending it again can
  ///   succeed.
  public func send(_ message: MailMessage) async throws {
    try await send(from: message.from.mailbox, to: message.to.map(\.mailbox), message: try message.rendered())
  }

  /// Sends RFC 5322 text to `recipients`.
  public func send(from sender: SMTPMailbox, to recipients: [SMTPMailbox], message: [UInt8]) async throws {
    let connection = try await take()
    do {
      try await connection.send(from: sender, to: recipients, message: message)
    } catch let error as SMTPError where error.code == .transientReply || error.code == .permanentReply {
      // A refusal leaves the session usable.
      await giveBack(connection)
      throw error
    } catch {
      await connection.close()
      throw error
    }
    await giveBack(connection)
  }

  /// Closes the idle sessions; sends after this open none to keep.
  public func shutdown() async {
    let idle = state.withLock { state in
      state.shutDown = true
      defer { state.idle = [] }
      return state.idle
    }
    for entry in idle { await entry.connection.close() }
  }

  private func take() async throws -> SMTPConnection {
    let now = ContinuousClock.now
    let (reusable, stale) = state.withLock { state -> (SMTPConnection?, [SMTPConnection]) in
      var stale: [SMTPConnection] = []
      while let entry = state.idle.popLast() {
        if entry.connection.isActive && now - entry.since < configuration.idleTimeout {
          return (entry.connection, stale)
        }
        stale.append(entry.connection)
      }
      return (nil, stale)
    }
    for connection in stale { await connection.close() }
    if let reusable { return reusable }
    return try await SMTPConnection.connect(
      configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
  }

  private func giveBack(_ connection: SMTPConnection) async {
    let kept = state.withLock { state in
      guard !state.shutDown, connection.isActive, state.idle.count < configuration.maximumIdleConnections else {
        return false
      }
      state.idle.append(Idle(connection: connection, since: .now))
      return true
    }
    if !kept { await connection.close() }
  }
}
