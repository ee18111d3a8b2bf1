import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShopAuth
import Testing

@testable import APIGateway

/// The rate limits through the gateway's router (each router with a limiter of its own).
@Suite struct RateLimitMiddlewareTests {
  static func configuration(user: Int = 1200, client: Int = 1200, auth: Int = 3000) -> GatewayConfiguration {
    var configuration = GatewayConfiguration()
    configuration.rateLimits = RateLimitPolicies(
      user: RateLimitPolicy(name: "user", quota: user, window: .seconds(60)),
      client: RateLimitPolicy(name: "client", quota: client, window: .seconds(60)),
      auth: RateLimitPolicy(name: "auth", quota: auth, window: .seconds(60)))
    return configuration
  }

  /// `RateLimit` as (policy, remaining, seconds until the quota is whole again).
  static func left(_ response: TestResponse) -> (String, Int, Int)? {
    guard let field = response.headers[.rateLimit] else { return nil }
    let parts = field.split(separator: ";")
    guard parts.count == 3, parts[1].hasPrefix("r="), parts[2].hasPrefix("t="),
      let remaining = Int(parts[1].dropFirst(2)), let reset = Int(parts[2].dropFirst(2))
    else { return nil }
    return (String(parts[0]), remaining, reset)
  }

  /// Whether the answer left `remaining` of the policy with the quota whole again in `reset`
  /// seconds, less what passed since the first request (on a busy machine, a second or two).
  static func leaves(_ response: TestResponse, _ policy: String, _ remaining: Int, reset: Int) -> Bool {
    guard let (name, left, seconds) = left(response) else { return false }
    return name == "\"\(policy)\"" && left == remaining && (reset - 5...reset).contains(seconds)
  }

  @Test func everyAnswerCarriesThePolicyThatAppliesAndWhatIsLeft() async throws {
    // One request every 6 s on average: none is given back while the test runs.
    try await GatewayRouterTests.withGateway(Self.configuration(client: 10)) { client, _ in
      try await client.execute(uri: "/api/v1/categories", method: .get) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.rateLimitPolicy]?.hasPrefix(#""client";q=10;w=60"#) == true)
        #expect(Self.leaves(response, "client", 9, reset: 6), "\(response.headers[.rateLimit] ?? "none")")
      }
      // An error answer too.
      try await client.execute(uri: "/api/v1/nowhere", method: .get) { response in
        #expect(response.status == .notFound)
        #expect(Self.leaves(response, "client", 8, reset: 12), "\(response.headers[.rateLimit] ?? "none")")
      }
      // Operations paths are not limited.
      try await client.execute(uri: "/health/live", method: .get) { response in
        #expect(response.headers[.rateLimit] == nil)
      }
    }
  }

  @Test func overTheQuotaIsA429ProblemWithRetryAfter() async throws {
    try await GatewayRouterTests.withGateway(Self.configuration(client: 2)) { client, _ in
      for _ in 0..<2 {
        try await client.execute(uri: "/api/v1/categories", method: .get) { #expect($0.status == .ok) }
      }
      try await client.execute(uri: "/api/v1/categories", method: .get) { response in
        #expect(response.status == .tooManyRequests)
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(GatewayRouterTests.code(response.body) == "too_many_requests")
        #expect(response.headers[.retryAfter].flatMap { Int($0) }.map { (25...30).contains($0) } == true)
        #expect(Self.leaves(response, "client", 0, reset: 60), "\(response.headers[.rateLimit] ?? "none")")
      }
    }
  }

  @Test func aCallerWithAValidTokenHasTheUserQuotaAndOneWithoutTheClientQuota() async throws {
    try await GatewayRouterTests.withGateway(Self.configuration(user: 3, client: 1)) { client, fake in
      let token = try await fake.issuer.issue(subject: fake.user, role: "customer")
      for remaining in [2, 1, 0] {
        try await client.execute(
          uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer \(token)"]
        ) { response in
          #expect(response.status == .ok)
          #expect(
            Self.leaves(response, "user", remaining, reset: 60 - 20 * remaining),
            "\(response.headers[.rateLimit] ?? "none")")
        }
      }
      try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer \(token)"]) {
        #expect($0.status == .tooManyRequests)
      }
      // Anonymous requests, and ones with a token that is not valid, count per client.
      try await client.execute(uri: "/api/v1/categories", method: .get) { #expect($0.status == .ok) }
      try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer not.valid"]) {
        #expect($0.status == .tooManyRequests)
        #expect($0.headers[.rateLimit]?.hasPrefix(#""client""#) == true)
      }
    }
  }

  @Test func theAuthRoutesHaveTheirOwnQuota() async throws {
    try await GatewayRouterTests.withGateway(Self.configuration(client: 1, auth: 2)) { client, _ in
      try await client.execute(uri: "/api/v1/categories", method: .get) { #expect($0.status == .ok) }
      for expected in [HTTPResponse.Status.badRequest, .badRequest, .tooManyRequests] {
        try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
          body: ByteBuffer(string: "{}")
        ) { response in
          #expect(response.status == expected)
          #expect(response.headers[.rateLimitPolicy]?.hasPrefix(#""auth";q=2;w=60"#) == true)
        }
      }
    }
  }
}
