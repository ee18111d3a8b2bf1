/// A webhook's body, in the shape Standard Webhooks recommends: what happened, when, and the
/// payment as it is now.
struct WebhookBody: Codable {
  var type: String
  var timestamp: String
  var data: PaymentView
}
