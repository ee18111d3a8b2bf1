import Foundation
import SMTPClient
import SMTPProtocol

/// Sends email notifications through the SMTP client: the recipient's address from the
/// user service, the message from the notification's template. The `Message-ID` is the
/// notification's, so that a message sent again after a crash is recognisably the same.
public struct EmailSender: NotificationSender {
  public var channel: NotificationChannel { .email }
  let composer: NotificationComposer
  let smtp: SMTPClient
  let recipients: any RecipientDirectory
  let domain: String

  public init(composer: NotificationComposer, smtp: SMTPClient, recipients: any RecipientDirectory, domain: String) {
    self.composer = composer
    self.smtp = smtp
    self.recipients = recipients
    self.domain = domain
  }

  public func deliver(_ notification: DueNotification) async -> DeliveryReport {
    let recipient: Recipient?
    do {
      recipient = try await recipients.recipient(notification.userID)
    } catch {
      return DeliveryReport(.refused("the recipient could not be looked up: \(error)", permanent: false))
    }
    guard let recipient else { return DeliveryReport(.skipped("the account no longer exists")) }
    var message: MailMessage
    do {
      var values = notification.values
      values["name"] = values["name"] ?? recipient.name
      message = try composer.email(
        notification.template, values: values, to: MailAddress(try SMTPMailbox(recipient.email), name: recipient.name))
    } catch {
      return DeliveryReport(.refused("the message could not be made: \(error)", permanent: true))
    }
    message.messageID = "<\(notification.id.uuidString.lowercased())@\(domain)>"
    do {
      try await smtp.send(message)
      return DeliveryReport(.delivered)
    } catch let error as SMTPError {
      return DeliveryReport(.refused("\(error)", permanent: error.isPermanent))
    } catch {
      return DeliveryReport(.refused("\(error)", permanent: false))
    }
  }
}
