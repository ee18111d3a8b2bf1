/// `user.registered`: a new account, with what the notification service needs to welcome it.
public struct UserRegistered: EventContract {
  public static let type = "user.registered"
  public static let schemaVersion = 1

  public var userID: String
  public var email: String
  public var name: String
  public var role: String
  /// RFC 3339.
  public var registeredAt: String

  public init(userID: String, email: String, name: String, role: String, registeredAt: String) {
    self.userID = userID
    self.email = email
    self.name = name
    self.role = role
    self.registeredAt = registeredAt
  }

  enum CodingKeys: String, CodingKey {
    case userID = "user_id"
    case email, name, role
    case registeredAt = "registered_at"
  }
}
