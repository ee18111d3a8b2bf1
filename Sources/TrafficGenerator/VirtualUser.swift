import NIOHTTP1
import Synchronization

/// One simulated customer (or the administrator): an account, its own connection, and the
/// tokens it holds, renewed before they expire.
final class VirtualUser: Sendable {
  struct Tokens {
    var access: String
    var refresh: String
    var expires: ContinuousClock.Instant
  }

  let email: String
  let password: String
  let api: ShopAPI
  private let tokens = Mutex<Tokens?>(nil)

  /// A token is renewed this long before it would expire.
  static let renewalMargin = Duration.seconds(60)

  init(email: String, password: String, api: ShopAPI) {
    self.email = email
    self.password = password
    self.api = api
  }

  /// Logs in (the account exists).
  func logIn() async throws(TrafficError) {
    let answer = await AccountSetup.retryingLimits {
      await api.call(nil, .POST, "/auth/login", body: ["email": email, "password": password], token: nil)
    }
    try take(answer, what: "login")
  }

  /// A token valid for a while yet: the one held, or a renewed one (refreshed, or from a new
  /// login when the refresh is refused).
  func token() async throws(TrafficError) -> String {
    let held = tokens.withLock { $0 }
    if let held, held.expires - ShopAPI.clock.now > Self.renewalMargin { return held.access }
    if let held {
      let answer = await api.call(nil, .POST, "/auth/refresh", body: ["refresh_token": held.refresh], token: nil)
      if answer.isSuccess, (try? take(answer, what: "refresh")) != nil {
        return tokens.withLock { $0!.access }
      }
    }
    try await logIn()
    return tokens.withLock { $0!.access }
  }

  private func take(_ answer: ShopAPI.Answer, what: String) throws(TrafficError) {
    guard answer.isSuccess, let access = answer.json["access_token"] as? String,
      let refresh = answer.json["refresh_token"] as? String
    else {
      throw TrafficError(.setupFailed, "\(what) of \(email) answered \(answer.status) \(answer.json["code"] ?? "")")
    }
    let lifetime = (answer.json["expires_in"] as? Int) ?? 900
    tokens.withLock { $0 = Tokens(access: access, refresh: refresh, expires: ShopAPI.clock.now + .seconds(lifetime)) }
  }
}
