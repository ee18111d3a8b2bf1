import ShopContracts
import ShopMessaging

extension UserRecord {
  /// `user.registered` for this new account: every account created, by registration or by
  /// the seeder, is announced once, as version 1 of the user.
  var registeredEvent: OutboxEvent<UserRegistered> {
    OutboxEvent(
      UserRegistered(
        userID: id.lowercased, email: email, name: name, role: role.rawValue, registeredAt: createdAt.rfc3339),
      aggregateID: id, aggregateVersion: 1, occurredAt: createdAt)
  }
}
