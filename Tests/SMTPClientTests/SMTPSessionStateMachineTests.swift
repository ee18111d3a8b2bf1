import SMTPProtocol
import Testing

@testable import SMTPClient

@Suite struct SMTPSessionStateMachineTests {
  typealias Machine = SMTPSessionStateMachine

  static func machine(
    _ security: SMTPConfiguration.Security = .plain, credentials: (String, String)? = nil, plaintextAuth: Bool = false
  ) -> Machine {
    Machine(
      settings: .init(
        domain: "client.test", security: security, credentials: credentials,
        allowsPlaintextAuthentication: plaintextAuth))
  }

  static func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, lines: lines) }

  static let ehlo = SMTPCommand.ehlo(domain: "client.test")
  static let pipelining = reply(250, "mx", "PIPELINING", "SIZE 1000")

  /// A machine whose session is ready with `extensions`.
  static func ready(_ extensions: SMTPReply = pipelining) -> Machine {
    var machine = machine()
    _ = machine.replyReceived(reply(220, "mx ready"))
    _ = machine.replyReceived(extensions)
    return machine
  }

  static func mailbox(_ address: String) -> SMTPMailbox { try! SMTPMailbox(address) }

  @Test func greetingThenEHLOThenReady() {
    var machine = Self.machine()
    #expect(machine.replyReceived(Self.reply(220, "mx ready")) == .send([Self.ehlo]))
    #expect(machine.replyReceived(Self.pipelining) == .sessionReady(SMTPExtensions(ehloReply: Self.pipelining)))
    #expect(machine.isReady)
  }

  @Test func aServerWithoutEHLOIsGreetedWithHELO() {
    var machine = Self.machine()
    _ = machine.replyReceived(Self.reply(220))
    #expect(machine.replyReceived(Self.reply(502, "command not implemented")) == .send([.helo(domain: "client.test")]))
    #expect(machine.replyReceived(Self.reply(250, "hello")) == .sessionReady(SMTPExtensions()))
  }

  @Test func aRefusedGreetingEndsTheSession() {
    var machine = Self.machine()
    #expect(
      machine.replyReceived(Self.reply(554, "no service"))
        == .fail(SMTPError(.permanentReply, step: "greeting", reply: Self.reply(554, "no service"))))
  }

  @Test func startTLSThenEHLOAgainThenAuthPlain() {
    var machine = Self.machine(.startTLS, credentials: ("mailer", "s3cret"))
    _ = machine.replyReceived(Self.reply(220))
    #expect(machine.replyReceived(Self.reply(250, "mx", "STARTTLS", "AUTH PLAIN LOGIN")) == .send([.startTLS]))
    #expect(machine.replyReceived(Self.reply(220, "go ahead")) == .startTLS)
    #expect(machine.tlsEstablished() == .send([Self.ehlo]))
    // "\0mailer\0s3cret"
    #expect(
      machine.replyReceived(Self.reply(250, "mx", "AUTH PLAIN LOGIN"))
        == .send([.auth(mechanism: "PLAIN", initialResponse: "AG1haWxlcgBzM2NyZXQ=")]))
    let extensions = SMTPExtensions(ehloReply: Self.reply(250, "mx", "AUTH PLAIN LOGIN"))
    #expect(machine.replyReceived(Self.reply(235, "ok")) == .sessionReady(extensions))
  }

  @Test func authLoginAnswersBothChallenges() {
    var machine = Self.machine(credentials: ("mailer", "s3cret"), plaintextAuth: true)
    _ = machine.replyReceived(Self.reply(220))
    #expect(
      machine.replyReceived(Self.reply(250, "mx", "AUTH LOGIN"))
        == .send([.auth(mechanism: "LOGIN", initialResponse: nil)]))
    #expect(machine.replyReceived(Self.reply(334, "VXNlcm5hbWU6")) == .send([.authResponse("bWFpbGVy")]))
    #expect(machine.replyReceived(Self.reply(334, "UGFzc3dvcmQ6")) == .send([.authResponse("czNjcmV0")]))
    #expect(
      machine.replyReceived(Self.reply(535, "bad"))
        == .fail(SMTPError(.permanentReply, step: "AUTH", reply: Self.reply(535, "bad"))))
  }

  @Test func requiredTLSThatIsNotOfferedFailsAndCredentialsStayOffThePlainConnection() {
    var required = Self.machine(.startTLS)
    _ = required.replyReceived(Self.reply(220))
    #expect(required.replyReceived(Self.reply(250, "mx")) == .fail(SMTPError(.tlsUnavailable, step: "EHLO")))

    var opportunistic = Self.machine(.startTLSIfOffered, credentials: ("mailer", "s3cret"))
    _ = opportunistic.replyReceived(Self.reply(220))
    #expect(
      opportunistic.replyReceived(Self.reply(250, "mx", "AUTH PLAIN"))
        == .fail(SMTPError(.authenticationUnavailable, step: "AUTH")))
  }

  @Test func aReplyBeforeTheTLSHandshakeIsAnInjection() {
    var machine = Self.machine(.startTLS)
    _ = machine.replyReceived(Self.reply(220))
    _ = machine.replyReceived(Self.reply(250, "mx", "STARTTLS"))
    #expect(machine.replyReceived(Self.reply(220)) == .startTLS)
    #expect(
      machine.replyReceived(Self.reply(250, "injected"))
        == .fail(SMTPError(.protocolViolation, step: "STARTTLS", reply: Self.reply(250, "injected"))))
  }

  @Test func aPipelinedTransactionSendsItsCommandsAtOnce() {
    var machine = Self.ready()
    let (from, to) = (Self.mailbox("shop@swiftshop.local"), Self.mailbox("ada@example.com"))
    #expect(
      machine.startTransaction(from: from, to: [to], size: 200)
        == .send([.mail(from: from, size: 200, smtpUTF8: false), .recipient(to), .data]))
    #expect(machine.replyReceived(Self.reply(250)) == .none)
    #expect(machine.replyReceived(Self.reply(250)) == .none)
    #expect(machine.replyReceived(Self.reply(354)) == .sendContent)
    #expect(machine.replyReceived(Self.reply(250, "queued")) == .delivered)
    #expect(machine.isReady)
  }

  @Test func aRefusedRecipientInAPipelineWaitsForTheRestThenResets() {
    var machine = Self.ready()
    _ = machine.startTransaction(from: Self.mailbox("a@b.c"), to: [Self.mailbox("x@y.z")], size: 10)
    let refusal = Self.reply(550, "no such user")
    #expect(machine.replyReceived(Self.reply(250)) == .none)
    #expect(machine.replyReceived(refusal) == .none)
    #expect(
      machine.replyReceived(Self.reply(554, "no valid recipients"))
        == .deliveryFailed(SMTPError(.permanentReply, step: "RCPT", reply: refusal), then: [.reset]))
    #expect(machine.replyReceived(Self.reply(250)) == .none && machine.isReady)
  }

  @Test func aMessageSentWhileTheResetIsInFlightStartsOnceItIsAnswered() {
    var machine = Self.ready()
    let (from, to) = (Self.mailbox("a@b.c"), Self.mailbox("x@y.z"))
    _ = machine.startTransaction(from: from, to: [to], size: 10)
    _ = machine.replyReceived(Self.reply(250))
    _ = machine.replyReceived(Self.reply(550, "no such user"))
    _ = machine.replyReceived(Self.reply(554, "no valid recipients"))
    #expect(machine.startTransaction(from: from, to: [to], size: 10) == .none)
    #expect(
      machine.replyReceived(Self.reply(250, "reset"))
        == .send([.mail(from: from, size: 10, smtpUTF8: false), .recipient(to), .data]))
  }

  @Test func aDataAcceptedAfterARefusalGetsAnEmptyContent() {
    var machine = Self.ready()
    _ = machine.startTransaction(from: Self.mailbox("a@b.c"), to: [Self.mailbox("x@y.z")], size: 10)
    _ = machine.replyReceived(Self.reply(250))
    _ = machine.replyReceived(Self.reply(450, "mailbox busy"))
    #expect(machine.replyReceived(Self.reply(354)) == .sendEmptyContent)
    #expect(
      machine.replyReceived(Self.reply(250))
        == .deliveryFailed(
          SMTPError(.transientReply, step: "RCPT", reply: Self.reply(450, "mailbox busy")), then: [.reset]))
  }

  @Test func withoutPipeliningEachCommandWaitsForItsReply() {
    var machine = Self.ready(Self.reply(250, "mx"))
    let (from, to) = (Self.mailbox("a@b.c"), Self.mailbox("x@y.z"))
    #expect(
      machine.startTransaction(from: from, to: [to], size: 10)
        == .send([.mail(from: from, size: nil, smtpUTF8: false)]))
    #expect(machine.replyReceived(Self.reply(250)) == .send([.recipient(to)]))
    #expect(machine.replyReceived(Self.reply(250)) == .send([.data]))
    #expect(machine.replyReceived(Self.reply(354)) == .sendContent)
    let deferral = Self.reply(451, "try later")
    #expect(
      machine.replyReceived(deferral)
        == .deliveryFailed(SMTPError(.transientReply, step: "content", reply: deferral), then: []))
    #expect(machine.isReady)
  }

  @Test func aRefusedSenderWithoutPipeliningResetsAtOnce() {
    var machine = Self.ready(Self.reply(250, "mx"))
    _ = machine.startTransaction(from: Self.mailbox("a@b.c"), to: [Self.mailbox("x@y.z")], size: 10)
    let refusal = Self.reply(553, "sender refused")
    #expect(
      machine.replyReceived(refusal)
        == .deliveryFailed(SMTPError(.permanentReply, step: "MAIL", reply: refusal), then: [.reset]))
  }

  @Test func aMessageLargerThanTheServerTakesIsRefusedBeforeSending() {
    var machine = Self.ready()
    let action = machine.startTransaction(from: Self.mailbox("a@b.c"), to: [Self.mailbox("x@y.z")], size: 5000)
    #expect(action == .deliveryFailed(SMTPError(.permanentReply, step: "MAIL"), then: []) && machine.isReady)
  }

  @Test func aServerClosingTheSessionFailsIt() {
    var machine = Self.ready()
    #expect(
      machine.replyReceived(Self.reply(421, "shutting down"))
        == .fail(SMTPError(.transientReply, step: "session", reply: Self.reply(421, "shutting down"))))
    var busy = Self.ready()
    _ = busy.startTransaction(from: Self.mailbox("a@b.c"), to: [Self.mailbox("x@y.z")], size: 10)
    #expect(
      busy.replyReceived(Self.reply(421, "bye"))
        == .fail(SMTPError(.transientReply, step: "MAIL", reply: Self.reply(421, "bye"))))
  }

  @Test func quitIsSentOnceAndItsReplyClosesTheSession() {
    var machine = Self.ready()
    #expect(machine.quit() == .send([.quit]))
    #expect(machine.quit() == .none)
    #expect(machine.replyReceived(Self.reply(221, "bye")) == .closed)
  }
}
