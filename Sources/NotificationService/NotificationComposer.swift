import Foundation
import Mustache
import SMTPProtocol

/// Writes notifications from the templates in `Templates/<template>/`: `subject`, `text` and
/// `html` for email, `push` (with the subject as its title) for Web Push. Variables the
/// template names and the values lack render empty.
public struct NotificationComposer: Sendable {
  /// A push notification's content: what the browser shows.
  public struct PushContent: Sendable, Hashable, Codable {
    public var title: String
    public var body: String
    public var template: String
    public var orderID: String?

    enum CodingKeys: String, CodingKey {
      case title, body, template
      case orderID = "order_id"
    }
  }

  public struct MissingTemplate: Error, CustomStringConvertible {
    public let name: String
    public var description: String { "no notification template \(name)" }
  }

  private let library: MustacheLibrary
  private let sender: MailAddress

  public init(library: MustacheLibrary, sender: MailAddress) {
    self.library = library
    self.sender = sender
  }

  /// The templates that ship with the service.
  public static func bundled(sender: MailAddress) async throws -> NotificationComposer {
    guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
      throw MissingTemplate(name: "Templates")
    }
    return NotificationComposer(library: try await MustacheLibrary(directory: directory), sender: sender)
  }

  public func email(
    _ template: NotificationTemplate, values: [String: String], to recipient: MailAddress
  ) throws -> MailMessage {
    MailMessage(
      from: sender, to: [recipient], subject: try render(template, "subject", values),
      text: try render(template, "text", values), html: try render(template, "html", values),
      headers: [("Auto-Submitted", "auto-generated"), ("X-SwiftShop-Template", template.rawValue)])
  }

  public func push(_ template: NotificationTemplate, values: [String: String], orderID: String?) throws -> PushContent {
    PushContent(
      title: try render(template, "subject", values), body: try render(template, "push", values),
      template: template.rawValue, orderID: orderID)
  }

  private func render(_ template: NotificationTemplate, _ part: String, _ values: [String: String]) throws
    -> String
  {
    let name = "\(template.rawValue)/\(part)"
    guard let output = library.render(values, withTemplate: name) else { throw MissingTemplate(name: name) }
    return output.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
