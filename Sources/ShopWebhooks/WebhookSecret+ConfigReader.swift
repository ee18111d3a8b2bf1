import Configuration
import Foundation
import ShopConfiguration

extension WebhookSecret {
  /// The secret under `webhooks.secret`, or in the file `webhooks.secretFile`; a service that
  /// signs or verifies webhooks cannot run without one.
  public init(config: ConfigReader) throws {
    let text: String
    if let inline = config.string(forKey: "webhooks.secret", isSecret: true), !inline.isEmpty {
      text = inline
    } else if let file = config.string(forKey: "webhooks.secretFile"), !file.isEmpty {
      do {
        text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
      } catch {
        throw ConfigurationError("cannot read webhooks.secretFile \(file): \(error)")
      }
    } else {
      throw ConfigurationError("no webhook secret: set webhooks.secretFile or webhooks.secret")
    }
    guard let secret = WebhookSecret(text) else {
      throw ConfigurationError("the webhook secret is not of the form whsec_<base64>")
    }
    self = secret
  }
}
