import Foundation
import SMTPProtocol

/// The client's side of an SMTP session (RFC 5321), as a value: the greeting, EHLO (HELO for
/// servers without it), STARTTLS and EHLO again, AUTH, then one mail transaction at a time,
/// pipelined (RFC 2920) when the server offers it. Each event returns what the channel
/// handler must do; nothing here does I/O.
struct SMTPSessionStateMachine {
  struct Settings {
    var domain: String
    var security: SMTPConfiguration.Security
    var credentials: (username: String, password: String)?
    var allowsPlaintextAuthentication: Bool
  }

  enum Action: Equatable {
    case send([SMTPCommand])
    /// Put TLS in front of the session now, then call ``tlsEstablished()``.
    case startTLS
    /// The session is ready for mail.
    case sessionReady(SMTPExtensions)
    /// Write the message's content (DATA was answered 354).
    case sendContent
    /// Write an empty content to end a DATA the server accepted after refusing the
    /// transaction's earlier commands.
    case sendEmptyContent
    /// The message was accepted.
    case delivered
    /// The message was not; the session goes on (after the commands, when there are any).
    case deliveryFailed(SMTPError, then: [SMTPCommand])
    /// The session cannot go on: close the connection and fail what waits on it.
    case fail(SMTPError)
    /// QUIT was answered.
    case closed
    case none

    static func == (lhs: Action, rhs: Action) -> Bool {
      switch (lhs, rhs) {
      case (.send(let a), .send(let b)): a == b
      case (.startTLS, .startTLS), (.sendContent, .sendContent), (.sendEmptyContent, .sendEmptyContent),
        (.delivered, .delivered), (.closed, .closed), (.none, .none):
        true
      case (.sessionReady(let a), .sessionReady(let b)): a == b
      case (.deliveryFailed(let a, let c), .deliveryFailed(let b, let d)):
        a.code == b.code && a.step == b.step && a.reply == b.reply && c == d
      case (.fail(let a), .fail(let b)): a.code == b.code && a.step == b.step && a.reply == b.reply
      default: false
      }
    }
  }

  private enum Step: Equatable {
    case mail, recipient, data
    var name: String {
      switch self {
      case .mail: "MAIL"
      case .recipient: "RCPT"
      case .data: "DATA"
      }
    }
  }

  private struct Transaction {
    /// Replies still to come, in order.
    var awaiting: [Step]
    /// Commands not yet sent (without pipelining each waits for the reply before it).
    var unsent: [SMTPCommand]
    /// The first refusal; the transaction fails with it once the replies in flight are read.
    var failure: SMTPError?
    var contentSent = false
  }

  private enum Authentication {
    case plain
    case loginUsername
    case loginPassword
    case loginResult
  }

  private enum State {
    case greeting
    case hello(ehlo: Bool, encrypted: Bool)
    case startingTLS
    case handshaking
    case authenticating(Authentication, SMTPExtensions, encrypted: Bool)
    case ready(SMTPExtensions, encrypted: Bool)
    case transaction(Transaction, SMTPExtensions, encrypted: Bool)
    /// RSET is in flight; a transaction asked for meanwhile starts once it is answered.
    case resetting(SMTPExtensions, encrypted: Bool, next: Envelope?)
    case quitting
    case closed
  }

  private struct Envelope {
    var from: SMTPMailbox
    var recipients: [SMTPMailbox]
    var size: Int
  }

  private var state = State.greeting
  private let settings: Settings

  init(settings: Settings) {
    self.settings = settings
  }

  /// Whether a transaction may start.
  var isReady: Bool {
    if case .ready = state { return true }
    return false
  }

  mutating func replyReceived(_ reply: SMTPReply) -> Action {
    switch state {
    case .greeting:
      guard reply.code == 220 else { return fail(.rejected(reply, at: "greeting")) }
      state = .hello(ehlo: true, encrypted: false)
      return .send([.ehlo(domain: settings.domain)])

    case .hello(let ehlo, let encrypted):
      guard reply.isCompletion else {
        if ehlo, !encrypted, reply.isPermanentFailure {
          // A server from before ESMTP: no extensions, so no TLS and no AUTH.
          state = .hello(ehlo: false, encrypted: false)
          return .send([.helo(domain: settings.domain)])
        }
        return fail(.rejected(reply, at: ehlo ? "EHLO" : "HELO"))
      }
      return greeted(ehlo ? SMTPExtensions(ehloReply: reply) : SMTPExtensions(), encrypted: encrypted)

    case .startingTLS:
      guard reply.code == 220 else {
        if settings.security == .startTLS { return fail(.rejected(reply, at: "STARTTLS")) }
        // Offered and then refused: the session goes on in the clear, as no TLS was asked for.
        state = .hello(ehlo: true, encrypted: false)
        return greeted(SMTPExtensions(), encrypted: false)
      }
      state = .handshaking
      return .startTLS

    case .handshaking:
      // Bytes that came with the 220 in the clear: an attacker's, by RFC 3207 §6.
      return fail(SMTPError(.protocolViolation, step: "STARTTLS", reply: reply, detail: "a reply before TLS began"))

    case .authenticating(let step, let extensions, let encrypted):
      return authenticationReply(reply, step: step, extensions: extensions, encrypted: encrypted)

    case .transaction(var transaction, let extensions, let encrypted):
      return transactionReply(reply, &transaction, extensions: extensions, encrypted: encrypted)

    case .resetting(let extensions, let encrypted, let next):
      guard reply.isCompletion else { return fail(.rejected(reply, at: "RSET")) }
      state = .ready(extensions, encrypted: encrypted)
      guard let next else { return .none }
      return startTransaction(from: next.from, to: next.recipients, size: next.size)

    case .quitting:
      state = .closed
      return .closed

    case .ready, .closed:
      // Typically 421: the server is closing the session.
      return fail(
        reply.isTransientFailure || reply.isPermanentFailure
          ? .rejected(reply, at: "session") : SMTPError(.protocolViolation, step: "session", reply: reply))
    }
  }

  mutating func tlsEstablished() -> Action {
    guard case .handshaking = state else { return .none }
    state = .hello(ehlo: true, encrypted: true)
    return .send([.ehlo(domain: settings.domain)])
  }

  /// Starts sending one message; `size` is its content's length, for SIZE.
  mutating func startTransaction(from: SMTPMailbox, to recipients: [SMTPMailbox], size: Int) -> Action {
    if case .resetting(let extensions, let encrypted, nil) = state {
      state = .resetting(
        extensions, encrypted: encrypted, next: Envelope(from: from, recipients: recipients, size: size))
      return .none
    }
    guard case .ready(let extensions, let encrypted) = state else {
      return .deliveryFailed(SMTPError(.protocolViolation, step: "MAIL", detail: "the session is not ready"), then: [])
    }
    if let limit = extensions.maximumSize, size > limit {
      return .deliveryFailed(
        SMTPError(.permanentReply, step: "MAIL", detail: "the message is larger than the server's \(limit) bytes"),
        then: [])
    }
    let utf8 = !from.isASCII || recipients.contains { !$0.isASCII }
    let commands: [SMTPCommand] =
      [
        .mail(
          from: from, size: extensions.supports("SIZE") ? size : nil,
          smtpUTF8: utf8 && extensions.smtpUTF8)
      ] + recipients.map { .recipient($0) } + [.data]
    let steps: [Step] = [.mail] + recipients.map { _ in .recipient } + [.data]
    if extensions.pipelining {
      state = .transaction(Transaction(awaiting: steps, unsent: []), extensions, encrypted: encrypted)
      return .send(commands)
    }
    state = .transaction(
      Transaction(awaiting: [.mail], unsent: Array(commands.dropFirst())), extensions, encrypted: encrypted)
    return .send([commands[0]])
  }

  mutating func quit() -> Action {
    switch state {
    case .closed, .quitting: return .none
    default:
      state = .quitting
      return .send([.quit])
    }
  }

  /// The connection ended.
  mutating func closed() {
    state = .closed
  }

  private mutating func greeted(_ extensions: SMTPExtensions, encrypted: Bool) -> Action {
    if !encrypted, settings.security != .plain {
      if extensions.startTLS {
        state = .startingTLS
        return .send([.startTLS])
      }
      if settings.security == .startTLS {
        return fail(SMTPError(.tlsUnavailable, step: "EHLO", detail: "the server does not offer STARTTLS"))
      }
    }
    guard let credentials = settings.credentials else {
      state = .ready(extensions, encrypted: encrypted)
      return .sessionReady(extensions)
    }
    guard encrypted || settings.allowsPlaintextAuthentication else {
      return fail(
        SMTPError(.authenticationUnavailable, step: "AUTH", detail: "credentials are not sent without TLS"))
    }
    let mechanisms = extensions.authMechanisms
    if mechanisms.contains("PLAIN") {
      state = .authenticating(.plain, extensions, encrypted: encrypted)
      let token = Data("\0\(credentials.username)\0\(credentials.password)".utf8).base64EncodedString()
      return .send([.auth(mechanism: "PLAIN", initialResponse: token)])
    }
    if mechanisms.contains("LOGIN") {
      state = .authenticating(.loginUsername, extensions, encrypted: encrypted)
      return .send([.auth(mechanism: "LOGIN", initialResponse: nil)])
    }
    return fail(
      SMTPError(
        .authenticationUnavailable, step: "AUTH",
        detail: "the server offers none of PLAIN and LOGIN (\(mechanisms.sorted().joined(separator: " ")))"))
  }

  private mutating func authenticationReply(
    _ reply: SMTPReply, step: Authentication, extensions: SMTPExtensions, encrypted: Bool
  ) -> Action {
    let credentials = settings.credentials ?? ("", "")
    switch (step, reply.code) {
    case (.plain, 235), (.loginResult, 235):
      state = .ready(extensions, encrypted: encrypted)
      return .sessionReady(extensions)
    case (.loginUsername, 334):
      state = .authenticating(.loginPassword, extensions, encrypted: encrypted)
      return .send([.authResponse(Data(credentials.username.utf8).base64EncodedString())])
    case (.loginPassword, 334):
      state = .authenticating(.loginResult, extensions, encrypted: encrypted)
      return .send([.authResponse(Data(credentials.password.utf8).base64EncodedString())])
    default:
      if reply.isIntermediate {
        return fail(SMTPError(.protocolViolation, step: "AUTH", reply: reply, detail: "an unexpected challenge"))
      }
      return fail(.rejected(reply, at: "AUTH"))
    }
  }

  private mutating func transactionReply(
    _ reply: SMTPReply, _ transaction: inout Transaction, extensions: SMTPExtensions, encrypted: Bool
  ) -> Action {
    if transaction.contentSent {
      if let failure = transaction.failure {
        state = .resetting(extensions, encrypted: encrypted, next: nil)
        return .deliveryFailed(failure, then: [.reset])
      }
      state = .ready(extensions, encrypted: encrypted)
      return reply.isCompletion ? .delivered : .deliveryFailed(.rejected(reply, at: "content"), then: [])
    }
    guard !transaction.awaiting.isEmpty else {
      return fail(SMTPError(.protocolViolation, step: "MAIL", reply: reply, detail: "a reply nobody asked for"))
    }
    let step = transaction.awaiting.removeFirst()
    if reply.code == 421 { return fail(.rejected(reply, at: step.name)) }
    switch step {
    case .mail, .recipient:
      if !reply.isCompletion, transaction.failure == nil {
        transaction.failure = .rejected(reply, at: step.name)
      }
    case .data:
      if reply.code == 354 {
        transaction.contentSent = true
        state = .transaction(transaction, extensions, encrypted: encrypted)
        return transaction.failure == nil ? .sendContent : .sendEmptyContent
      }
      if transaction.failure == nil { transaction.failure = .rejected(reply, at: step.name) }
    }
    if let failure = transaction.failure, transaction.awaiting.isEmpty || transaction.unsent.isEmpty {
      if transaction.awaiting.isEmpty {
        state = .resetting(extensions, encrypted: encrypted, next: nil)
        return .deliveryFailed(failure, then: [.reset])
      }
      // Pipelined: the remaining replies are read before the session goes on.
      state = .transaction(transaction, extensions, encrypted: encrypted)
      return .none
    }
    if transaction.failure == nil, transaction.awaiting.isEmpty, !transaction.unsent.isEmpty {
      let next = transaction.unsent.removeFirst()
      transaction.awaiting = [next == .data ? .data : .recipient]
      state = .transaction(transaction, extensions, encrypted: encrypted)
      return .send([next])
    }
    state = .transaction(transaction, extensions, encrypted: encrypted)
    return .none
  }

  private mutating func fail(_ error: SMTPError) -> Action {
    state = .closed
    return .fail(error)
  }
}
