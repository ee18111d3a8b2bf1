import Foundation
import Logging
import NIOSSL
import SMTPProtocol
import ShopTestSupport
import Testing

@testable import SMTPClient

/// The client against aiosmtpd: the stack's sink, and sinks started per test that require
/// STARTTLS and AUTH, defer, refuse, or drop the connection.
/// Serialized: each test starts a Python process, and the suites beside it measure time.
@Suite(.serialized, .enabled(if: Infra.smtp, "the SMTP sink is not reachable"))
struct SMTPClientIntegrationTests {
  static let logger = Logger(label: "test.smtp")

  static func message(subject: String = "Order 7c1f confirmed", text: String = "Thank you.\n") throws -> MailMessage {
    MailMessage(
      from: MailAddress(try SMTPMailbox("shop@swiftshop.local"), name: "SwiftShop"),
      to: [MailAddress(try SMTPMailbox("ada-\(UUID().uuidString.prefix(8))@example.com"), name: "Ada Lovelace")],
      subject: subject, text: text, html: "<p>\(text)</p>")
  }

  static func configuration(_ port: Int) -> SMTPConfiguration {
    SMTPConfiguration(host: "127.0.0.1", port: port, security: .plain, transactionTimeout: .seconds(20))
  }

  /// The stored message whose header names `recipient`.
  static func stored(to recipient: String, in maildir: URL) throws -> String? {
    try SMTPSink.messages(in: maildir).map { String(decoding: $0, as: UTF8.self) }.first {
      $0.contains(recipient)
    }
  }

  @Test func aMessageReachesTheStacksMaildirWithItsHeadersAndBothParts() async throws {
    let client = SMTPClient(configuration: Self.configuration(Infra.smtpPort), logger: Self.logger)
    let message = try Self.message(subject: "Ihre Bestellung 7c1f ist bestätigt ✓")
    try await client.send(message)
    await client.shutdown()
    let recipient = message.to[0].mailbox.address
    let stored = try #require(try Self.stored(to: recipient, in: Infra.maildir))
    #expect(stored.contains("Message-ID: \(message.messageID)"))
    #expect(stored.contains("Subject: =?UTF-8?B?"))
    #expect(stored.contains("Content-Type: multipart/alternative"))
    #expect(stored.contains("X-MailFrom: shop@swiftshop.local"))
    #expect(stored.contains("X-RcptTo: \(recipient)"))
  }

  @Test func oneSessionCarriesManyMessagesPipelinedOrNot() async throws {
    for options in [[], ["--no-pipelining"]] {
      try await SMTPSink.with(options) { sink in
        let client = SMTPClient(configuration: Self.configuration(sink.port), logger: Self.logger)
        let connection = try await SMTPConnection.connect(configuration: client.configuration, logger: Self.logger)
        #expect(connection.extensions.pipelining == options.isEmpty)
        for index in 0..<3 { try await connection.send(try Self.message(subject: "message \(index)")) }
        await connection.close()
        #expect(try sink.messages().count == 3)
      }
    }
  }

  @Test func startTLSWithAuthRequiredIsUpgradedAndAuthenticated() async throws {
    let tls = Infra.stackTLS
    let options = ["--tls-cert", tls.certificate, "--tls-key", tls.key, "--auth", "mailer:s3cret"]
    try await SMTPSink.with(options) { sink in
      var trust = TLSConfiguration.makeClientConfiguration()
      trust.trustRoots = .file(tls.ca)
      var configuration = Self.configuration(sink.port)
      configuration.security = .startTLS
      configuration.tls = trust
      configuration.serverName = "localhost"
      configuration.credentials = ("mailer", "s3cret")
      let client = SMTPClient(configuration: configuration, logger: Self.logger)
      try await client.send(try Self.message())
      await client.shutdown()
      #expect(try sink.messages().count == 1)

      // A wrong password is a 5xx: permanent.
      configuration.credentials = ("mailer", "wrong")
      let refused = await #expect(throws: SMTPError.self) {
        _ = try await SMTPConnection.connect(configuration: configuration, logger: Self.logger)
      }
      #expect(refused?.code == .permanentReply && refused?.step == "AUTH")

      // Without TLS the sink refuses mail (530), and the client sends no password in the clear.
      configuration.credentials = nil
      configuration.security = .plain
      let plain = SMTPClient(configuration: configuration, logger: Self.logger)
      let error = await #expect(throws: SMTPError.self) { try await plain.send(try Self.message()) }
      #expect(error?.isPermanent == true && error?.reply?.code == 530)
      await plain.shutdown()
      #expect(try sink.messages().count == 1)
    }
  }

  @Test func twoDeferralsAreTransientAndTheThirdAttemptIsDelivered() async throws {
    try await SMTPSink.with(["--defer", "2"]) { sink in
      let client = SMTPClient(configuration: Self.configuration(sink.port), logger: Self.logger)
      let message = try Self.message()
      var failures: [SMTPError] = []
      while true {
        do {
          try await client.send(message)
          break
        } catch let error as SMTPError {
          failures.append(error)
          try #require(failures.count <= 2)
        }
      }
      await client.shutdown()
      #expect(failures.map(\.reply?.code) == [451, 451] && failures.allSatisfy { !$0.isPermanent })
      #expect(try sink.messages().count == 1)
    }
  }

  @Test func aRefusedRecipientIsPermanentAndTheSessionGoesOn() async throws {
    try await SMTPSink.with(["--reject"]) { sink in
      let connection = try await SMTPConnection.connect(
        configuration: Self.configuration(sink.port), logger: Self.logger)
      for _ in 0..<2 {
        let error = await #expect(throws: SMTPError.self) { try await connection.send(try Self.message()) }
        #expect(error?.isPermanent == true && error?.reply?.code == 550 && error?.step == "RCPT")
      }
      #expect(connection.isActive)
      await connection.close()
      #expect(try sink.messages().isEmpty)
    }
  }

  @Test func aConnectionDroppedInDataIsTransientAndNothingIsStored() async throws {
    try await SMTPSink.with(["--drop-in-data"]) { sink throws in
      let client = SMTPClient(configuration: Self.configuration(sink.port), logger: Self.logger)
      let error = await #expect(throws: SMTPError.self) { try await client.send(try Self.message()) }
      #expect(error?.code == .connectionClosed && error?.isPermanent == false)
      await client.shutdown()
      #expect(try sink.messages().isEmpty)
    }
  }

  @Test func aRefusedConnectionIsTransient() async throws {
    let client = SMTPClient(configuration: Self.configuration(try freeLoopbackPort()), logger: Self.logger)
    let error = await #expect(throws: SMTPError.self) { try await client.send(try Self.message()) }
    #expect(error?.code == .connectionFailed && error?.isPermanent == false)
  }

  @Test func aTwoMegabyteMessageWithDotLinesArrivesIntact() async throws {
    try await SMTPSink.with { sink in
      var lines = ["From: <shop@swiftshop.local>", "To: <big@example.com>", "Subject: big", ""]
      for index in 0..<32_000 {
        lines.append(
          index % 7 == 0 ? ".line \(index) starts with a dot" : "line \(index) " + String(repeating: "x", count: 60))
      }
      lines.append(".")
      lines.append("..")
      let body = lines.dropFirst(4).joined(separator: "\r\n") + "\r\n"
      let raw = Array((lines.prefix(4).joined(separator: "\r\n") + "\r\n" + body).utf8)
      #expect(raw.count > 2_000_000)
      let client = SMTPClient(configuration: Self.configuration(sink.port), logger: Self.logger)
      try await client.send(
        from: try SMTPMailbox("shop@swiftshop.local"), to: [try SMTPMailbox("big@example.com")], message: raw)
      await client.shutdown()
      let stored = try #require(try sink.messages().first)
      // The sink stores CRLF as LF and adds headers of its own above the body.
      let text = String(decoding: stored, as: UTF8.self)
      let storedBody = try #require(text.range(of: "\n\n")).upperBound
      #expect(String(text[storedBody...]) == body.replacingOccurrences(of: "\r\n", with: "\n"))
    }
  }
}
