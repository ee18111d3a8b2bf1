import SMTPProtocol
import Testing

@testable import NotificationService

@Suite struct NotificationComposerTests {
  static func composer() async throws -> NotificationComposer {
    try await NotificationComposer.bundled(
      sender: MailAddress(try SMTPMailbox("shop@swiftshop.local"), name: "SwiftShop"))
  }

  static let values = [
    "name": "Ada <Lovelace>", "email": "ada@example.com", "order_id": "0b7e5c1e-1111-4c6a-9c7e-2f1d3a4b5c6d",
    "carrier": "DHL", "tracking_number": "JD0001", "reason": "user_cancelled", "product_name": "Kettle & Co",
    "sku": "KET-1",
  ]

  @Test(arguments: NotificationTemplate.allCases)
  func everyTemplateHasAnEmail(template: NotificationTemplate) async throws {
    let message = try await Self.composer().email(
      template, values: Self.values, to: MailAddress(try SMTPMailbox("ada@example.com")))
    #expect(!message.subject.isEmpty && !message.text.isEmpty && message.html?.isEmpty == false)
    #expect(!message.subject.contains("{{") && !message.text.contains("{{"))
    // An order's mail names the order in its subject.
    if template.topic == .orderUpdates {
      #expect(message.subject.contains(Self.values["order_id"]!))
    }
  }

  @Test func textIsNotEscapedAndHTMLIs() async throws {
    let message = try await Self.composer().email(
      .backInStock, values: Self.values, to: MailAddress(try SMTPMailbox("ada@example.com")))
    #expect(message.subject == "Kettle & Co is back in stock")
    #expect(message.text.hasPrefix("Hello Ada <Lovelace>,"))
    #expect(
      message.html?.contains("Hello Ada &lt;Lovelace&gt;,") == true && message.html?.contains("Kettle &amp; Co") == true
    )
  }

  @Test func theShippedEmailNamesTheCarrierAndTracking() async throws {
    let message = try await Self.composer().email(
      .orderShipped, values: Self.values, to: MailAddress(try SMTPMailbox("ada@example.com")))
    #expect(message.text.contains("DHL") && message.text.contains("JD0001"))
  }

  @Test(arguments: NotificationTemplate.allCases.filter { $0 != .welcome && $0 != .paymentFailed })
  func everyPushedTemplateHasAPush(template: NotificationTemplate) async throws {
    let push = try await Self.composer().push(template, values: Self.values, orderID: Self.values["order_id"])
    #expect(
      !push.title.isEmpty && !push.body.isEmpty && !push.body.contains("{{") && push.template == template.rawValue)
  }

  @Test func aTemplateWithoutAPushPartIsAnError() async throws {
    await #expect(throws: NotificationComposer.MissingTemplate.self) {
      _ = try await Self.composer().push(.welcome, values: Self.values, orderID: nil)
    }
  }
}
