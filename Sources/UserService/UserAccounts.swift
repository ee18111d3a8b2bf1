import Crypto
import Foundation
import ShopAuth
import ShopContracts
import ShopRPC

/// The user service's rules: registration, logins with throttling, refresh-token rotation
/// with reuse detection, profiles and addresses. Transport-free; the gRPC layer adapts it.
public struct UserAccounts<Store: UserStore>: Sendable {
  public struct Tokens: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresIn: Int
  }

  let store: Store
  let hasher: PasswordHasher
  let issuer: AccessTokenIssuer
  let refreshTokenLifetime: Duration
  let throttle: LoginThrottle
  let attempts: any LoginAttempts
  private let decoyHash: String

  public init(
    store: Store,
    hasher: PasswordHasher,
    issuer: AccessTokenIssuer,
    refreshTokenLifetime: Duration = .seconds(30 * 24 * 3600),
    throttle: LoginThrottle = .init(),
    attempts: any LoginAttempts = LocalLoginAttempts()
  ) async throws {
    self.store = store
    self.hasher = hasher
    self.issuer = issuer
    self.refreshTokenLifetime = refreshTokenLifetime
    self.throttle = throttle
    self.attempts = attempts
    self.decoyHash = try await hasher.decoyHash()
  }

  public func register(email rawEmail: String, password: String, name rawName: String) async throws -> UserRecord {
    let email = rawEmail.trimmingWhiteSpace()
    let violations =
      UserValidation.email(email) + UserValidation.password(password)
      + UserValidation.text(rawName, field: "name", rule: UserValidation.name)
    let name = rawName.trimmingWhiteSpace()
    guard violations.isEmpty else { throw UserError.validationFailed(violations) }
    if try await store.credentials(email: email) != nil { throw UserError.emailTaken }
    let hash = try await hasher.hash(password)
    let user = UserRecord(id: UUID(), email: email, name: name, phone: nil, role: .customer, createdAt: Date())
    return try await store.createUser(user, passwordHash: hash, event: user.registeredEvent)
  }

  /// - Parameter client: the address the login came from, when known: its attempts are
  ///   limited too.
  public func login(email rawEmail: String, password: String, client: String? = nil) async throws -> Tokens {
    let email = rawEmail.trimmingWhiteSpace()
    let accountKey = LoginThrottle.accountKey(email)
    let clientKey = client.map(LoginThrottle.clientKey)
    // Counted before the password is checked, so that parallel guesses each take a place.
    let account = try await attempts.count(accountKey, window: throttle.window)
    var clientCount: LoginThrottle.Count?
    if let clientKey { clientCount = try await attempts.count(clientKey, window: throttle.window) }
    if let retryAfter = throttle.refusal(account: account, client: clientCount, now: Date()) {
      throw UserError.loginThrottled(retryAfterSeconds: retryAfter)
    }
    // Registration takes no email with a control character, and PostgreSQL could not look one up.
    let found = email.containsControlCharacters ? nil : try await store.credentials(email: email)
    // Verify against a decoy when the email is unknown, so both answers take as long.
    let matches = try await hasher.verify(password, hash: found?.passwordHash ?? decoyHash)
    guard let found, matches else { throw UserError.invalidCredentials }
    try await attempts.clear(accountKey)
    if let clientKey { try await attempts.forget(clientKey) }
    let refresh = Self.newRefreshToken()
    try await store.insertRefreshToken(
      hash: Self.digest(refresh), familyID: UUID(), userID: found.user.id, expiresAt: refreshExpiry())
    return try await tokens(userID: found.user.id, role: found.user.role, refresh: refresh)
  }

  public func refresh(_ token: String) async throws -> Tokens {
    guard !token.isEmpty else { throw UserError.invalidRefreshToken }
    let next = Self.newRefreshToken()
    switch try await store.rotateRefreshToken(
      hash: Self.digest(token), next: Self.digest(next), expiresAt: refreshExpiry())
    {
    case .rotated(let userID, let role):
      return try await tokens(userID: userID, role: role, refresh: next)
    case .reused, .invalid:
      throw UserError.invalidRefreshToken
    }
  }

  /// Ends the session the token belongs to; an unknown token is not an error.
  public func logout(_ token: String) async throws {
    guard !token.isEmpty else { return }
    try await store.revokeRefreshTokenFamily(of: Self.digest(token))
  }

  public func profile(userID: UUID) async throws -> (UserRecord, [AddressRecord]) {
    guard let user = try await store.user(id: userID) else { throw UserError.notFound("user") }
    return (user, try await store.addresses(userID: userID))
  }

  public func updateProfile(userID: UUID, name rawName: String?, phone rawPhone: String?) async throws -> (
    UserRecord, [AddressRecord]
  ) {
    let violations =
      (rawName.map { UserValidation.text($0, field: "name", rule: UserValidation.name) } ?? [])
      + (rawPhone.map(UserValidation.phone) ?? [])
    let name = rawName?.trimmingWhiteSpace()
    let phone = rawPhone?.trimmingWhiteSpace()
    guard violations.isEmpty else { throw UserError.validationFailed(violations) }
    guard let user = try await store.updateUser(id: userID, name: name, phone: phone) else {
      throw UserError.notFound("user")
    }
    return (user, try await store.addresses(userID: userID))
  }

  public func addAddress(
    userID: UUID, line1: String, line2: String?, city: String, postalCode: String, country: String,
    isDefault: Bool
  ) async throws -> AddressRecord {
    let address = PostalAddress(line1: line1, line2: line2, city: city, postalCode: postalCode, country: country)
    let violations = address.violations.map { FieldViolation(field: $0.field, reason: $0.reason) }
    guard violations.isEmpty else { throw UserError.validationFailed(violations) }
    let kept = address.normalized
    // A user's first address is the default, whatever was asked.
    return try await store.addAddress(
      AddressRecord(
        id: UUID(), userID: userID, line1: kept.line1, line2: kept.line2, city: kept.city,
        postalCode: kept.postalCode, country: kept.country,
        isDefault: isDefault, createdAt: Date()
      ),
      isDefault: { existing in isDefault || existing == 0 }
    )
  }

  public func addresses(userID: UUID) async throws -> [AddressRecord] {
    try await store.addresses(userID: userID)
  }

  public func deleteAddress(userID: UUID, addressID: UUID) async throws {
    guard try await store.deleteAddress(userID: userID, addressID: addressID) else {
      throw UserError.notFound("address")
    }
  }

  private func tokens(userID: UUID, role: Role, refresh: String) async throws -> Tokens {
    let access = try await issuer.issue(subject: userID, role: role.rawValue)
    return Tokens(accessToken: access, refreshToken: refresh, expiresIn: Int(issuer.lifetime.seconds))
  }

  private func refreshExpiry() -> Date {
    Date().addingTimeInterval(refreshTokenLifetime.seconds)
  }

  static func newRefreshToken() -> String {
    var bytes = [UInt8](repeating: 0, count: 32)
    var rng = SystemRandomNumberGenerator()
    for i in bytes.indices { bytes[i] = rng.next() }
    return "rt_"
      + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func digest(_ token: String) -> String {
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
