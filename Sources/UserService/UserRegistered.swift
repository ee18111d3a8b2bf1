import Foundation
import ShopRPC

/// The data of `user.registered`: what the notification service needs to welcome the user.
struct UserRegistered: Encodable, Sendable {
  let userID: String
  let email: String
  let name: String
  let role: String
  let registeredAt: String

  init(user: UserRecord) {
    userID = user.id.uuidString.lowercased()
    email = user.email
    name = user.name
    role = user.role.rawValue
    registeredAt = user.createdAt.rfc3339
  }

  enum CodingKeys: String, CodingKey {
    case userID = "user_id"
    case email, name, role
    case registeredAt = "registered_at"
  }
}
