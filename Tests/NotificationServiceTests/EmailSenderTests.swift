import Foundation
import Logging
import SMTPClient
import SMTPProtocol
import ShopTestSupport
import Testing

@testable import NotificationService

/// Email notifications through the SMTP client to an aiosmtpd sink of their own.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct EmailSenderTests {
  struct Directory: RecipientDirectory {
    let known: [UUID: Recipient]
    func recipient(_ user: UUID) async throws -> Recipient? { known[user] }
  }

  static func sender(port: Int, known: [UUID: Recipient]) async throws -> (EmailSender, SMTPClient) {
    let smtp = SMTPClient(
      configuration: SMTPConfiguration(port: port, security: .plain), logger: Logger(label: "test.email"))
    let composer = try await NotificationComposer.bundled(
      sender: MailAddress(try SMTPMailbox("no-reply@swiftshop.test"), name: "SwiftShop"))
    return (
      EmailSender(composer: composer, smtp: smtp, recipients: Directory(known: known), domain: "swiftshop.test"), smtp
    )
  }

  static func confirmed(to user: UUID) -> DueNotification {
    DueNotification(
      id: UUID(), userID: user, channel: .email, template: .orderConfirmed, orderID: UUID(),
      values: ["order_id": "8d1f0c2e-0000-4000-8000-000000000001"], attempts: 0)
  }

  @Test func anOrderEmailReachesTheRecipientWithTheOrderInItsSubjectAndItsOwnMessageID() async throws {
    try await SMTPSink.with { sink in
      let user = UUID()
      let (sender, smtp) = try await Self.sender(
        port: sink.port, known: [user: Recipient(email: "ada@example.com", name: "Ada Lovelace")])
      let notification = Self.confirmed(to: user)
      #expect(await sender.deliver(notification).outcome == .delivered)
      await smtp.shutdown()
      let text = String(decoding: try #require(try sink.messages().first), as: UTF8.self)
      #expect(text.contains("To: ") && text.contains("Ada Lovelace") && text.contains("<ada@example.com>"))
      #expect(text.contains("Subject: Order 8d1f0c2e-0000-4000-8000-000000000001 confirmed"))
      #expect(text.contains("Message-ID: <\(notification.id.uuidString.lowercased())@swiftshop.test>"))
    }
  }

  @Test func aRefusalIsPermanentOnlyFor5xxAndAnUnknownAccountIsSkipped() async throws {
    try await SMTPSink.with(["--reject"]) { sink in
      let user = UUID()
      let (sender, smtp) = try await Self.sender(
        port: sink.port, known: [user: Recipient(email: "ada@example.com", name: "Ada")])
      guard case .refused(_, let permanent, _) = await sender.deliver(Self.confirmed(to: user)).outcome else {
        Issue.record("a 550 is a refusal")
        return
      }
      #expect(permanent)
      #expect(await sender.deliver(Self.confirmed(to: UUID())).outcome == .skipped("the account no longer exists"))
      await smtp.shutdown()
    }
    try await SMTPSink.with(["--defer", "5"]) { sink in
      let user = UUID()
      let (sender, smtp) = try await Self.sender(
        port: sink.port, known: [user: Recipient(email: "ada@example.com", name: "Ada")])
      guard case .refused(_, let permanent, _) = await sender.deliver(Self.confirmed(to: user)).outcome else {
        Issue.record("a 451 is a refusal")
        return
      }
      #expect(!permanent)
      await smtp.shutdown()
    }
  }

  @Test func aServerThatIsNotThereIsARefusalForNow() async throws {
    let user = UUID()
    let (sender, smtp) = try await Self.sender(
      port: try freeLoopbackPort(), known: [user: Recipient(email: "ada@example.com", name: "Ada")])
    guard case .refused(_, let permanent, _) = await sender.deliver(Self.confirmed(to: user)).outcome else {
      Issue.record("a refused connection is a refusal")
      return
    }
    #expect(!permanent)
    await smtp.shutdown()
  }
}
