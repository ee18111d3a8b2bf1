import Foundation
import NIOHTTP1

/// Makes the generator's customer accounts ready: each is registered once (an account that
/// exists is kept, so runs reuse them) and logged in, a few at a time, waiting out the auth
/// routes' rate limit when it answers `429` and a user service too busy hashing passwords to
/// answer in time (`503`).
enum AccountSetup {
  /// How many accounts are registered and logged in at once: each costs the user service a
  /// password hash, and more at once only queue there.
  static let concurrency = 8

  /// Registers the users that have no account yet and logs every one in.
  static func prepare(_ users: [VirtualUser]) async throws(TrafficError) {
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        var started = 0
        for user in users {
          if started >= concurrency { try await group.next() }
          group.addTask { try await prepare(user) }
          started += 1
        }
        try await group.waitForAll()
      }
    } catch let error as TrafficError {
      throw error
    } catch {
      throw TrafficError(.setupFailed, "preparing the accounts failed: \(error)")
    }
  }

  static func prepare(_ user: VirtualUser) async throws(TrafficError) {
    let answer = await retryingLimits {
      await user.api.call(
        nil, .POST, "/users/register",
        body: ["email": user.email, "password": user.password, "name": "Traffic Customer"], token: nil)
    }
    guard answer.status == 201 || answer.status == 409 else {
      throw TrafficError(
        .setupFailed, "registering \(user.email) answered \(answer.status) \(answer.json["code"] ?? "")")
    }
    try await user.logIn()
  }

  /// `send` again, after the `Retry-After` it was told (at least 1 s, at most 30 s), while it
  /// answers `429` or `503` (a few times). Registering again is safe: an account made by the
  /// attempt that seemed to fail answers `409`, which counts as registered.
  static func retryingLimits(_ send: () async -> ShopAPI.Answer) async -> ShopAPI.Answer {
    var answer = await send()
    var attempts = 1
    while answer.status == 429 || answer.status == 503, attempts < 8 {
      try? await Task.sleep(for: .seconds(min(max(answer.retryAfter ?? 1, 1), 30)))
      answer = await send()
      attempts += 1
    }
    return answer
  }
}
