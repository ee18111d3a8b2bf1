import Foundation
import Testing

@testable import NotificationService

@Suite struct WebhookEndpointTests {
  static func endpoint(receivesAll: Bool, events: [String] = ["order.created"], enabled: Bool = true)
    -> WebhookEndpoint
  {
    WebhookEndpoint(
      id: UUID(), userID: UUID(), receivesAll: receivesAll, url: URL(string: "https://hooks.example/in")!,
      events: events, enabled: enabled, disabledReason: nil, createdAt: Date())
  }

  @Test func aCustomersEndpointReceivesOnlyEventsAboutTheCustomer() {
    let endpoint = Self.endpoint(receivesAll: false)
    #expect(endpoint.receives("order.created", about: endpoint.userID))
    #expect(!endpoint.receives("order.created", about: UUID()))
    #expect(!endpoint.receives("order.created", about: nil))
    #expect(!endpoint.receives("order.status_changed", about: endpoint.userID))
  }

  @Test func anAdminsEndpointReceivesEveryEventOfItsTypes() {
    let endpoint = Self.endpoint(receivesAll: true, events: ["inventory.low_stock"])
    #expect(endpoint.receives("inventory.low_stock", about: nil))
    #expect(endpoint.receives("inventory.low_stock", about: UUID()))
    #expect(!endpoint.receives("order.created", about: nil))
  }

  @Test func aDisabledEndpointReceivesNothing() {
    let endpoint = Self.endpoint(receivesAll: true, enabled: false)
    #expect(!endpoint.receives("order.created", about: endpoint.userID))
  }

  @Test func anEndpointIsDisabledAtOnceOn410OrAfterARunOfFailures() {
    #expect(WebhookEndpoint.disabling(afterStatus: 410, succeeded: false, failuresBefore: 0, limit: 5) != nil)
    #expect(WebhookEndpoint.disabling(afterStatus: 500, succeeded: false, failuresBefore: 3, limit: 5) == nil)
    #expect(
      WebhookEndpoint.disabling(afterStatus: 500, succeeded: false, failuresBefore: 4, limit: 5)
        == "5 failed attempts in a row")
    #expect(WebhookEndpoint.disabling(afterStatus: nil, succeeded: false, failuresBefore: 4, limit: 5) != nil)
    #expect(WebhookEndpoint.disabling(afterStatus: 200, succeeded: true, failuresBefore: 4, limit: 5) == nil)
  }

  @Test func registrationTakesAnAbsoluteURLAndKnownEventTypesOnce() throws {
    let checked = try WebhookEndpoint.validated(
      url: "https://hooks.example/in", events: ["order.created", "order.created", "payment.failed"])
    #expect(checked.url.host == "hooks.example" && checked.events == ["order.created", "payment.failed"])
    for (url, events) in [
      ("", ["order.created"]), ("not a url", ["order.created"]), ("https://hooks.example/in", []),
      ("https://hooks.example/in", ["order.eaten"]),
      ("https://hooks.example/" + String(repeating: "a", count: 2048), ["order.created"]),
    ] {
      #expect(throws: NotificationError.self) { try WebhookEndpoint.validated(url: url, events: events) }
    }
  }
}
