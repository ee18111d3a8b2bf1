import Foundation
import Logging
import PostgresNIO
import RedisClient
import ShopAuth
import ShopTestSupport
import Testing

@testable import UserService

/// Against a database of each test's own, and the login attempts in Redis under a prefix of
/// each test's own.
@Suite(.enabled(if: Infra.postgres && Infra.redis, "PostgreSQL or Redis is not reachable"))
struct UserAccountsTests {
  static func withAccounts(
    throttle: LoginThrottle = .init(),
    _ body: @escaping @Sendable (UserAccounts<PostgresUserStore>, PostgresUserStore) async throws -> Void
  ) async throws {
    let issuer = await AccessTokenIssuer(key: try SigningKey.generate(), issuer: "swiftshop", audience: "swiftshop-api")
    try await TestDatabase.with(migrations: try UserServiceDeclaration.migrations()) { client, _ in
      try await TestRedis.withPrefix { redis, prefix in
        let store = PostgresUserStore(client: client, logger: Logger(label: "test"))
        let accounts = try await UserAccounts(
          store: store, hasher: PasswordHasher(cost: 10), issuer: issuer, throttle: throttle,
          attempts: RedisLoginAttempts(redis: redis, prefix: prefix + ":", logger: Logger(label: "test")))
        try await body(accounts, store)
      }
    }
  }

  @Test func registersAndLogsInWithTheEmailInAnyCase() async throws {
    try await Self.withAccounts { accounts, _ in
      let user = try await accounts.register(email: " Ann@Example.com ", password: "correct horse", name: "Ann")
      #expect(user.email == "Ann@Example.com")
      #expect(user.role == .customer)
      let tokens = try await accounts.login(email: "ann@example.COM", password: "correct horse")
      #expect(tokens.expiresIn == 900)
      #expect(tokens.refreshToken.hasPrefix("rt_"))
    }
  }

  @Test func refusesADuplicateEmailRegardlessOfCase() async throws {
    try await Self.withAccounts { accounts, _ in
      _ = try await accounts.register(email: "bob@example.com", password: "correct horse", name: "Bob")
      await #expect(throws: UserError.emailTaken) {
        try await accounts.register(email: "BOB@example.com", password: "another one", name: "Bob")
      }
    }
  }

  @Test func concurrentRegistrationsOfOneEmailCreateOneAccount() async throws {
    try await Self.withAccounts { accounts, _ in
      let outcomes = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<8 {
          group.addTask {
            (try? await accounts.register(email: "race@example.com", password: "correct horse", name: "R")) != nil
          }
        }
        var created = 0
        for await ok in group where ok { created += 1 }
        return created
      }
      #expect(outcomes == 1)
    }
  }

  @Test func validatesEveryField() async throws {
    try await Self.withAccounts { accounts, _ in
      do {
        _ = try await accounts.register(email: "not-an-email", password: "short", name: " ")
        Issue.record("registration must fail")
      } catch UserError.validationFailed(let violations) {
        #expect(Set(violations.map(\.field)) == ["email", "password", "name"])
      }
      await #expect(throws: UserError.self) {
        try await accounts.register(email: "c@example.com", password: "password123", name: "C")
      }
    }
  }

  @Test func wrongPasswordAndUnknownEmailGetTheSameAnswer() async throws {
    try await Self.withAccounts { accounts, _ in
      _ = try await accounts.register(email: "dan@example.com", password: "correct horse", name: "Dan")
      await #expect(throws: UserError.invalidCredentials) {
        try await accounts.login(email: "dan@example.com", password: "wrong one")
      }
      await #expect(throws: UserError.invalidCredentials) {
        try await accounts.login(email: "nobody@example.com", password: "wrong one")
      }
      // PostgreSQL cannot hold NUL: such an email is no account's, not a failed query.
      await #expect(throws: UserError.invalidCredentials) {
        try await accounts.login(email: "dan\u{0}@example.com", password: "correct horse", client: "10.0.0.9")
      }
    }
  }

  @Test func throttlesRepeatedFailuresForAnEmail() async throws {
    try await Self.withAccounts(throttle: .init(maxFailures: 3, window: .seconds(60))) { accounts, _ in
      _ = try await accounts.register(email: "eve@example.com", password: "correct horse", name: "Eve")
      for _ in 0..<3 {
        await #expect(throws: UserError.invalidCredentials) {
          try await accounts.login(email: "eve@example.com", password: "guess")
        }
      }
      do {
        _ = try await accounts.login(email: "EVE@example.com", password: "correct horse")
        Issue.record("the fourth attempt must be throttled, even with the right password")
      } catch UserError.loginThrottled(let seconds) {
        #expect((1...60).contains(seconds))
      }
    }
  }

  /// Guesses sent at once: each is counted before its password is checked, so no more than
  /// the limit ever reach bcrypt (the others are refused without it).
  @Test func parallelWrongGuessesGetAtMostTheLimitThroughToThePasswordCheck() async throws {
    try await Self.withAccounts(throttle: .init(maxFailures: 5, window: .seconds(60))) { accounts, _ in
      _ = try await accounts.register(email: "gus@example.com", password: "correct horse", name: "Gus")
      let outcomes = await withTaskGroup(of: String.self) { group in
        for index in 0..<30 {
          group.addTask {
            do {
              _ = try await accounts.login(email: "gus@example.com", password: "guess \(index)")
              return "in"
            } catch UserError.invalidCredentials {
              return "checked"
            } catch UserError.loginThrottled {
              return "throttled"
            } catch {
              return "\(error)"
            }
          }
        }
        return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
      }
      #expect(outcomes["checked"] == 5 && outcomes["throttled"] == 25, "\(outcomes)")
    }
  }

  @Test func aClientAddressIsThrottledAcrossAccountsAndASuccessDoesNotCountAgainstIt() async throws {
    try await Self.withAccounts(throttle: .init(maxFailures: 100, maxFailuresPerClient: 3, window: .seconds(60))) {
      accounts, _ in
      _ = try await accounts.register(email: "hana@example.com", password: "correct horse", name: "Hana")
      for _ in 0..<5 {
        _ = try await accounts.login(email: "hana@example.com", password: "correct horse", client: "10.0.0.1")
      }
      for index in 0..<3 {
        await #expect(throws: UserError.invalidCredentials) {
          try await accounts.login(email: "nobody\(index)@example.com", password: "guess", client: "10.0.0.1")
        }
      }
      await #expect(throws: UserError.self) {
        try await accounts.login(email: "hana@example.com", password: "correct horse", client: "10.0.0.1")
      }
      _ = try await accounts.login(email: "hana@example.com", password: "correct horse", client: "10.0.0.2")
    }
  }

  @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
    try await Self.withAccounts { accounts, _ in
      _ = try await accounts.register(email: "fay@example.com", password: "correct horse", name: "Fay")
      let first = try await accounts.login(email: "fay@example.com", password: "correct horse")
      let second = try await accounts.refresh(first.refreshToken)
      #expect(second.refreshToken != first.refreshToken)
      // The spent token again: refused, and the family it belongs to is revoked.
      await #expect(throws: UserError.invalidRefreshToken) { try await accounts.refresh(first.refreshToken) }
      await #expect(throws: UserError.invalidRefreshToken) { try await accounts.refresh(second.refreshToken) }
      // Another login starts a family of its own.
      let other = try await accounts.login(email: "fay@example.com", password: "correct horse")
      _ = try await accounts.refresh(other.refreshToken)
    }
  }

  @Test func logoutEndsTheSession() async throws {
    try await Self.withAccounts { accounts, _ in
      _ = try await accounts.register(email: "gus@example.com", password: "correct horse", name: "Gus")
      let tokens = try await accounts.login(email: "gus@example.com", password: "correct horse")
      try await accounts.logout(tokens.refreshToken)
      await #expect(throws: UserError.invalidRefreshToken) { try await accounts.refresh(tokens.refreshToken) }
      try await accounts.logout("rt_unknown")
    }
  }

  @Test func addressesBelongToTheirOwner() async throws {
    try await Self.withAccounts { accounts, _ in
      let a = try await accounts.register(email: "hal@example.com", password: "correct horse", name: "Hal")
      let b = try await accounts.register(email: "ivy@example.com", password: "correct horse", name: "Ivy")
      let first = try await accounts.addAddress(
        userID: a.id, line1: "1 Main St", line2: nil, city: "Springfield", postalCode: "12345", country: "us",
        isDefault: false)
      #expect(first.isDefault, "the first address becomes the default")
      #expect(first.country == "US")
      let second = try await accounts.addAddress(
        userID: a.id, line1: "2 Side St", line2: "Apt 4", city: "Springfield", postalCode: "12345", country: "US",
        isDefault: true)
      let list = try await accounts.addresses(userID: a.id)
      #expect(list.map(\.id) == [first.id, second.id])
      #expect(list.filter(\.isDefault).map(\.id) == [second.id])
      await #expect(throws: UserError.notFound("address")) {
        try await accounts.deleteAddress(userID: b.id, addressID: first.id)
      }
      try await accounts.deleteAddress(userID: a.id, addressID: first.id)
      #expect(try await accounts.addresses(userID: a.id).map(\.id) == [second.id])
    }
  }

  /// Two clients adding a user's first address at once: both succeed, one is the default.
  @Test func concurrentFirstAddressesAllSucceedWithOneDefault() async throws {
    try await Self.withAccounts { accounts, _ in
      let user = try await accounts.register(email: "kim@example.com", password: "correct horse", name: "Kim")
      let added = try await withThrowingTaskGroup(of: AddressRecord.self) { group in
        for index in 0..<8 {
          group.addTask {
            try await accounts.addAddress(
              userID: user.id, line1: "\(index) Main St", line2: nil, city: "Springfield", postalCode: "12345",
              country: "US", isDefault: false)
          }
        }
        return try await group.reduce(into: [AddressRecord]()) { $0.append($1) }
      }
      #expect(added.count == 8)
      let list = try await accounts.addresses(userID: user.id)
      #expect(list.count == 8 && list.filter(\.isDefault).count == 1)
      await #expect(throws: UserError.notFound("user")) {
        try await accounts.addAddress(
          userID: UUID(), line1: "1 Main St", line2: nil, city: "Springfield", postalCode: "12345", country: "US",
          isDefault: false)
      }
    }
  }

  @Test func updatesOnlyNameAndPhone() async throws {
    try await Self.withAccounts { accounts, _ in
      let user = try await accounts.register(email: "jo@example.com", password: "correct horse", name: "Jo")
      let (updated, _) = try await accounts.updateProfile(userID: user.id, name: "Joanna", phone: "+44 20 7946 0958")
      #expect(updated.name == "Joanna" && updated.phone == "+44 20 7946 0958" && updated.role == .customer)
      await #expect(throws: UserError.self) {
        try await accounts.updateProfile(userID: user.id, name: nil, phone: "call me")
      }
    }
  }

  @Test func seedingTwiceCreatesOneAdmin() async throws {
    try await Self.withAccounts { _, store in
      let seeder = UserSeeder(store: store, hasher: PasswordHasher(cost: 10))
      let first = try await seeder.ensureAccount(
        email: "admin@swiftshop.local", password: "admin-password", name: "A", role: .admin)
      let second = try await seeder.ensureAccount(
        email: "admin@swiftshop.local", password: "admin-password", name: "A", role: .admin)
      #expect(first.id == second.id && first.role == .admin)
    }
  }
}
