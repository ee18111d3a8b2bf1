import ShopContracts

/// Request bodies of the users and auth routes. Only these fields are read; anything else a
/// client sends (ids, role, email on update) is ignored.
struct RegisterBody: Decodable {
  var email: String
  var password: String
  var name: String
}

struct LoginBody: Decodable {
  var email: String
  var password: String
}

struct RefreshTokenBody: Decodable {
  var refreshToken: String
}

struct UpdateProfileBody: Decodable {
  @Omissible var name: String?
  @Omissible var phone: String?
}

struct AddressBody: Decodable {
  var line1: String
  @Omissible var line2: String?
  var city: String
  var postalCode: String
  var country: String
  @Omissible var isDefault: Bool?
}

/// Response bodies, written with snake_case keys; absent optional values are `null`.
struct UserView: Encodable {
  var id: String
  var email: String
  var name: String
  var phone: String?
  var role: String
  var createdAt: String
  var addresses: [AddressView]

  init(_ user: Shop_User_V1_User) {
    id = user.id
    email = user.email
    name = user.name
    phone = user.hasPhone ? user.phone : nil
    role = user.role
    createdAt = user.createdAt
    addresses = user.addresses.map(AddressView.init)
  }

  enum CodingKeys: String, CodingKey {
    case id, email, name, phone, role, createdAt, addresses
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(email, forKey: .email)
    try c.encode(name, forKey: .name)
    try c.encode(phone, forKey: .phone)
    try c.encode(role, forKey: .role)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(addresses, forKey: .addresses)
  }
}

struct AddressView: Encodable {
  var id: String
  var line1: String
  var line2: String?
  var city: String
  var postalCode: String
  var country: String
  var isDefault: Bool
  var createdAt: String

  init(_ a: Shop_User_V1_Address) {
    id = a.id
    line1 = a.line1
    line2 = a.hasLine2 ? a.line2 : nil
    city = a.city
    postalCode = a.postalCode
    country = a.country
    isDefault = a.isDefault
    createdAt = a.createdAt
  }

  enum CodingKeys: String, CodingKey {
    case id, line1, line2, city, postalCode, country, isDefault, createdAt
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(line1, forKey: .line1)
    try c.encode(line2, forKey: .line2)
    try c.encode(city, forKey: .city)
    try c.encode(postalCode, forKey: .postalCode)
    try c.encode(country, forKey: .country)
    try c.encode(isDefault, forKey: .isDefault)
    try c.encode(createdAt, forKey: .createdAt)
  }
}

struct TokenView: Encodable {
  var accessToken: String
  var refreshToken: String
  var tokenType = "Bearer"
  var expiresIn: Int64

  init(_ pair: Shop_User_V1_TokenPair) {
    accessToken = pair.accessToken
    refreshToken = pair.refreshToken
    expiresIn = pair.expiresIn
  }
}

/// A list in the API's shape: `{"items": [...], "next_cursor": null}`.
struct ListView<Item: Encodable>: Encodable {
  var items: [Item]
  var nextCursor: String?

  enum CodingKeys: String, CodingKey {
    case items, nextCursor
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(items, forKey: .items)
    try c.encode(nextCursor, forKey: .nextCursor)
  }
}
