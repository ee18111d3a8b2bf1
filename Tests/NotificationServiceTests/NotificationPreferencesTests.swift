import Foundation
import Testing

@testable import NotificationService

@Suite struct NotificationPreferencesTests {
  @Test func everythingIsOnByDefault() {
    let preferences = NotificationPreferences()
    for template in NotificationTemplate.allCases {
      #expect(preferences.allows(template, on: .email) && preferences.allows(template, on: .push))
    }
  }

  @Test func eachTopicAndChannelIsTurnedOffAlone() {
    let preferences = NotificationPreferences(
      orderUpdates: .init(email: false, push: true), backInStock: .init(email: true, push: false))
    #expect(!preferences.allows(.orderShipped, on: .email) && preferences.allows(.orderShipped, on: .push))
    #expect(!preferences.allows(.paymentFailed, on: .email))
    #expect(preferences.allows(.backInStock, on: .email) && !preferences.allows(.backInStock, on: .push))
    // Mail about the account itself is not a topic a customer turns off.
    #expect(preferences.allows(.welcome, on: .email))
  }

  @Test func theJSONIsAPIsShape() throws {
    let json =
      try JSONSerialization.jsonObject(with: try JSONEncoder().encode(NotificationPreferences())) as? [String: Any]
    #expect(Set(json?.keys ?? [:].keys) == ["order_updates", "back_in_stock"])
    let decoded = try JSONDecoder().decode(
      NotificationPreferences.self,
      from: Data(#"{"order_updates":{"email":false,"push":true},"back_in_stock":{"email":true,"push":true}}"#.utf8))
    #expect(!decoded.orderUpdates.email && decoded.backInStock.push)
  }
}
