import Foundation
import ShopContracts
import ShopMessaging
import Testing

@testable import UserService

@Suite struct UserRecordRegisteredTests {
  @Test func aNewAccountIsAnnouncedAsVersionOneOfTheUser() {
    let user = UserRecord(
      id: UUID(), email: "ada@example.com", name: "Ada", phone: nil, role: .customer,
      createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    let event = user.registeredEvent
    #expect(event.type == "user.registered" && event.aggregateID == user.id && event.aggregateVersion == 1)
    #expect(event.occurredAt == user.createdAt)
    #expect(
      event.data
        == UserRegistered(
          userID: user.id.uuidString.lowercased(), email: "ada@example.com", name: "Ada", role: "customer",
          registeredAt: "2027-01-15T08:00:00.000Z"))
  }
}
