import NIOCore
import NIOSSL
import NIOTLS
import SMTPProtocol

/// What a connection asks of its session.
enum SMTPRequest {
  /// One message: its envelope and its content, already dot-stuffed and terminated.
  case transaction(from: SMTPMailbox, to: [SMTPMailbox], content: ByteBuffer, promise: EventLoopPromise<Void>)
  case quit(EventLoopPromise<Void>)
}

/// Runs an SMTP session on a channel: feeds replies to ``SMTPSessionStateMachine`` and does
/// what it returns (writes commands and content, puts TLS in front for STARTTLS, completes
/// the promises waiting on the session).
final class SMTPChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = SMTPReply
  typealias OutboundIn = SMTPRequest
  typealias OutboundOut = ByteBuffer

  private var machine: SMTPSessionStateMachine
  private var sessionReady: EventLoopPromise<SMTPExtensions>?
  private let tls: (context: NIOSSLContext, serverName: String)?
  private var transaction: (content: ByteBuffer, promise: EventLoopPromise<Void>)?
  private var quitting: EventLoopPromise<Void>?
  private var context: ChannelHandlerContext?
  /// Why the session ended, when it did not end by itself.
  private var failure: SMTPError?

  init(
    settings: SMTPSessionStateMachine.Settings, tls: (context: NIOSSLContext, serverName: String)?,
    sessionReady: EventLoopPromise<SMTPExtensions>
  ) {
    self.machine = SMTPSessionStateMachine(settings: settings)
    self.tls = tls
    self.sessionReady = sessionReady
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    run(machine.replyReceived(unwrapInboundIn(data)), context: context)
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .handshakeCompleted = event as? TLSUserEvent {
      run(machine.tlsEstablished(), context: context)
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let reason: SMTPError
    switch error {
    case let error as SMTPProtocolError: reason = SMTPError(.protocolViolation, step: "reply", detail: "\(error)")
    case let error as NIOSSLError: reason = SMTPError(.tlsUnavailable, step: "STARTTLS", detail: "\(error)")
    case let error as BoringSSLError: reason = SMTPError(.tlsUnavailable, step: "STARTTLS", detail: "\(error)")
    default: reason = SMTPError(.connectionClosed, step: "session", detail: "\(error)")
    }
    close(because: reason)
  }

  func channelInactive(context: ChannelHandlerContext) {
    machine.closed()
    finish(failure ?? SMTPError(.connectionClosed, step: "session", detail: "the server closed the connection"))
    context.fireChannelInactive()
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .transaction(let from, let recipients, let content, let done):
      guard transaction == nil else {
        done.fail(SMTPError(.protocolViolation, step: "MAIL", detail: "a transaction is already running"))
        break
      }
      if let failure {
        done.fail(failure)
        break
      }
      transaction = (content, done)
      run(machine.startTransaction(from: from, to: recipients, size: content.readableBytes), context: context)
    case .quit(let done):
      quitting = done
      let action = machine.quit()
      if action == .none {
        quitting = nil
        done.succeed()
      }
      run(action, context: context)
    }
    promise?.succeed()
  }

  /// Ends the session with `reason`: what waits on it fails with it.
  func close(because reason: SMTPError) {
    if failure == nil { failure = reason }
    guard let context else {
      finish(reason)
      return
    }
    context.close(promise: nil)
  }

  private func run(_ action: SMTPSessionStateMachine.Action, context: ChannelHandlerContext) {
    switch action {
    case .send(let commands):
      var buffer = context.channel.allocator.buffer(capacity: 64 * commands.count)
      for command in commands { command.encode(into: &buffer) }
      context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    case .startTLS:
      guard let tls else {
        close(because: SMTPError(.tlsUnavailable, step: "STARTTLS", detail: "no TLS configuration"))
        return
      }
      do {
        let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverName)
        try context.pipeline.syncOperations.addHandler(handler, position: .first)
      } catch {
        close(because: SMTPError(.tlsUnavailable, step: "STARTTLS", detail: "\(error)"))
      }
    case .sessionReady(let extensions):
      sessionReady?.succeed(extensions)
      sessionReady = nil
    case .sendContent:
      guard let content = transaction?.content else { return }
      context.writeAndFlush(wrapOutboundOut(content), promise: nil)
    case .sendEmptyContent:
      context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: ".\r\n")), promise: nil)
    case .delivered:
      let done = transaction?.promise
      transaction = nil
      done?.succeed()
    case .deliveryFailed(let error, let then):
      let done = transaction?.promise
      transaction = nil
      if !then.isEmpty { run(.send(then), context: context) }
      done?.fail(error)
    case .fail(let error):
      close(because: error)
    case .closed:
      let done = quitting
      quitting = nil
      context.close(promise: nil)
      done?.succeed()
    case .none:
      break
    }
  }

  private func finish(_ reason: SMTPError) {
    sessionReady?.fail(reason)
    sessionReady = nil
    transaction?.promise.fail(reason)
    transaction = nil
    quitting?.succeed()
    quitting = nil
  }
}
