import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SMTPProtocol

/// One SMTP session: greeted, upgraded with STARTTLS and authenticated as configured, then
/// sending one message at a time (callers take turns; ``SMTPClient`` hands each connection to
/// one sender at a time).
public final class SMTPConnection: Sendable {
  let channel: any Channel
  private let handler: NIOLoopBound<SMTPChannelHandler>
  /// What the server announced in the EHLO that opened the session (after STARTTLS, the
  /// second one).
  public let extensions: SMTPExtensions
  private let configuration: SMTPConfiguration

  private init(
    channel: any Channel, handler: NIOLoopBound<SMTPChannelHandler>, extensions: SMTPExtensions,
    configuration: SMTPConfiguration
  ) {
    self.channel = channel
    self.handler = handler
    self.extensions = extensions
    self.configuration = configuration
  }

  /// Connects and prepares the session for mail.
  ///
  /// - Throws: ``SMTPError``: ``SMTPError/Code/connectionFailed`` when nothing answers, a reply
  ///   code when the server refuses the session, ``SMTPError/Code/timeout`` after
  ///   `connectTimeout` and `sessionTimeout`.
  public static func connect(
    configuration: SMTPConfiguration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger
  ) async throws -> SMTPConnection {
    let settings = SMTPSessionStateMachine.Settings(
      domain: try SMTPCommand.checkedDomain(configuration.domain), security: configuration.security,
      credentials: configuration.credentials,
      allowsPlaintextAuthentication: configuration.allowsPlaintextAuthentication)
    let tls =
      configuration.security == .plain
      ? nil
      : (
        context: try NIOSSLContext(configuration: configuration.tls),
        serverName: configuration.serverName ?? configuration.host
      )
    // The session's handlers are in place before the first byte arrives: the greeting may
    // come at once.
    let eventLoop = eventLoopGroup.next()
    let ready = eventLoop.makePromise(of: SMTPExtensions.self)
    // Taken here rather than looked up after connecting: a session the server ends at once
    // has left the pipeline by then.
    let installed = eventLoop.makePromise(of: NIOLoopBound<SMTPChannelHandler>.self)
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: eventLoop)
        .connectTimeout(.nanoseconds(configuration.connectTimeout.wholeNanoseconds))
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let handler = SMTPChannelHandler(settings: settings, tls: tls, sessionReady: ready)
            try channel.pipeline.syncOperations.addHandlers([ByteToMessageHandler(SMTPReplyDecoder()), handler])
            installed.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
          }
        }
        .connect(host: configuration.host, port: configuration.port)
        .get()
    } catch {
      ready.fail(error)
      installed.fail(error)
      throw SMTPError(
        .connectionFailed, step: "connect", detail: "\(configuration.host):\(configuration.port): \(error)")
    }
    let handler = try await installed.futureResult.get()
    let extensions: SMTPExtensions
    do {
      extensions = try await wait(
        for: ready, on: channel, handler: handler, timeout: configuration.sessionTimeout, step: "session")
    } catch {
      try? await channel.close()
      throw error
    }
    logger.debug(
      "smtp session ready",
      metadata: [
        "server.address": "\(configuration.host)", "server.port": "\(configuration.port)",
        "smtp.extensions": "\(extensions.keywords.keys.sorted().joined(separator: " "))",
      ])
    return SMTPConnection(channel: channel, handler: handler, extensions: extensions, configuration: configuration)
  }

  public var isActive: Bool { channel.isActive }

  /// Sends one message to `recipients`; `message` is RFC 5322 text, dot-stuffed here.
  ///
  /// - Throws: ``SMTPError``; after a refusal (a reply code) the connection can send the next
  ///   message, after anything else it is closed.
  public func send(from sender: SMTPMailbox, to recipients: [SMTPMailbox], message: some Collection<UInt8>)
    async throws
  {
    var content = channel.allocator.buffer(capacity: message.count + 64)
    SMTPDataEncoder().encode(message, into: &content)
    let done = channel.eventLoop.makePromise(of: Void.self)
    submit(.transaction(from: sender, to: recipients, content: content, promise: done), failing: done)
    try await Self.wait(
      for: done, on: channel, handler: handler, timeout: configuration.transactionTimeout, step: "transaction")
  }

  /// Sends a message to the recipients of its `To`, from the address of its `From`.
  public func send(_ message: MailMessage) async throws {
    try await send(from: message.from.mailbox, to: message.to.map(\.mailbox), message: try message.rendered())
  }

  /// Ends the session with QUIT and closes the connection.
  public func close() async {
    guard channel.isActive else { return }
    let done = channel.eventLoop.makePromise(of: Void.self)
    submit(.quit(done), failing: done)
    _ = try? await Self.wait(for: done, on: channel, handler: handler, timeout: .seconds(5), step: "QUIT")
    try? await channel.close()
  }

  /// Hands a request to the session; `done` fails when it cannot reach it (the connection
  /// closed and its handler is gone).
  private func submit(_ request: SMTPRequest, failing done: EventLoopPromise<Void>) {
    channel.writeAndFlush(request).whenFailure { error in
      done.fail(SMTPError(.connectionClosed, step: "session", detail: "\(error)"))
    }
  }

  private static func wait<Value: Sendable>(
    for promise: EventLoopPromise<Value>, on channel: any Channel, handler: NIOLoopBound<SMTPChannelHandler>,
    timeout: Duration, step: String
  ) async throws -> Value {
    let deadline = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.wholeNanoseconds)) {
      let error = SMTPError(.timeout, step: step, detail: "no reply within \(timeout)")
      handler.value.close(because: error)
      promise.fail(error)
    }
    defer { deadline.cancel() }
    return try await withTaskCancellationHandler {
      try await promise.futureResult.get()
    } onCancel: {
      // The session is out of step once a reply is abandoned.
      channel.eventLoop.execute {
        handler.value.close(because: SMTPError(.connectionClosed, step: step, detail: "cancelled"))
        promise.fail(CancellationError())
      }
    }
  }
}
