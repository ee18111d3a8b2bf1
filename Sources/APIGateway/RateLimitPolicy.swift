/// A quota of requests per window for one kind of caller (API.md, Limits), named as the
/// `RateLimit` fields name it.
public struct RateLimitPolicy: Sendable, Equatable {
  public var name: String
  public var quota: Int
  public var window: Duration

  public init(name: String, quota: Int, window: Duration) {
    precondition(quota > 0 && window > .zero, "a policy needs a quota and a window")
    self.name = name
    self.quota = quota
    self.window = window
  }

  var windowMilliseconds: Double {
    Double(window.components.seconds) * 1000 + Double(window.components.attoseconds) / 1e15
  }

  /// The item of `RateLimit-Policy`: `"user";q=1200;w=60`.
  var field: String { "\"\(name)\";q=\(quota);w=\(Int(windowMilliseconds / 1000))" }
}

/// The policies of the public API: per user with a valid token, per client address without
/// one, and a separate one per client address on the routes that sign in and register.
public struct RateLimitPolicies: Sendable, Equatable {
  public var user: RateLimitPolicy
  public var client: RateLimitPolicy
  public var auth: RateLimitPolicy

  public init(
    user: RateLimitPolicy = RateLimitPolicy(name: "user", quota: 1200, window: .seconds(60)),
    client: RateLimitPolicy = RateLimitPolicy(name: "client", quota: 1200, window: .seconds(60)),
    auth: RateLimitPolicy = RateLimitPolicy(name: "auth", quota: 3000, window: .seconds(60))
  ) {
    self.user = user
    self.client = client
    self.auth = auth
  }

  /// Whether `path` is one of the routes the auth policy covers.
  static func isAuthRoute(_ path: String) -> Bool {
    path.hasPrefix("/api/v1/auth/") || path == "/api/v1/users/register"
  }

  /// The policy for a request to `path`, by a user (when the token is valid) or a client address.
  func policy(path: String, user: String?, client: String) -> (policy: RateLimitPolicy, key: String) {
    if Self.isAuthRoute(path) { return (auth, "client:\(client)") }
    if let user { return (self.user, "user:\(user)") }
    return (self.client, "client:\(client)")
  }

  /// `RateLimit-Policy`: the policy that applies first, then the others.
  func field(applying policy: RateLimitPolicy) -> String {
    ([policy] + [user, client, auth].filter { $0 != policy }).map(\.field).joined(separator: ", ")
  }
}
