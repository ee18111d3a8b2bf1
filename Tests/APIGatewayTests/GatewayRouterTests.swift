import Foundation
import GRPCCore
import GRPCInProcessTransport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import ShopAuth
import ShopContracts
import ShopRPC
import Testing

@testable import APIGateway

@Suite struct GatewayRouterTests {
  /// The gateway's router with every upstream on one client.
  static func router<Transport: ClientTransport>(
    _ configuration: GatewayConfiguration, over client: GRPCClient<Transport>, updates: OrderUpdates = OrderUpdates()
  ) throws -> Router<GatewayRequestContext> {
    try GatewayApp.router(
      configuration: configuration,
      users: Upstream(
        name: "user", instances: [("test", GatewayApp.UserClient(wrapping: client))],
        timeout: configuration.user.timeout),
      products: Upstream(
        name: "product", instances: [("test", GatewayApp.ProductClient(wrapping: client))],
        timeout: configuration.product.timeout),
      orders: Upstream(
        name: "order", instances: [("test", GatewayApp.OrderClient(wrapping: client))],
        timeout: configuration.order.timeout),
      notifications: Upstream(
        name: "notification", instances: [("test", GatewayApp.NotificationClient(wrapping: client))],
        timeout: configuration.notification.timeout),
      updates: updates, registry: PrometheusCollectorRegistry())
  }

  /// Runs `body` against a gateway router whose user service is ``FakeUserService``.
  static func withGateway(
    _ configuration: GatewayConfiguration = GatewayConfiguration(), products: FakeProductService = FakeProductService(),
    orders: FakeOrderService = FakeOrderService(), updates: OrderUpdates = OrderUpdates(),
    _ body: @Sendable (any TestClientProtocol, FakeUserService) async throws -> Void
  ) async throws {
    let issuer = await AccessTokenIssuer(key: try SigningKey.generate(), issuer: "swiftshop", audience: "swiftshop-api")
    let fake = FakeUserService(issuer: issuer)
    let transport = InProcessTransport()
    let server = GRPCServer(transport: transport.server, services: [fake, products, orders])
    let client = GRPCClient(transport: transport.client)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      group.addTask { try await client.runConnections() }
      let router = try Self.router(configuration, over: client, updates: updates)
      try await Application(router: router).test(.router) { try await body($0, fake) }
      client.beginGracefulShutdown()
      server.beginGracefulShutdown()
      try await group.waitForAll()
    }
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as! [String: Any]
  }

  static func body(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }

  static func string(_ buffer: ByteBuffer, _ key: String) -> String? {
    (try? json(buffer))?[key] as? String
  }

  static func code(_ buffer: ByteBuffer) -> String? { string(buffer, "code") }

  @Test func echoesAnAcceptableRequestIDAndMakesOneOtherwise() async throws {
    try await Self.withGateway { client, _ in
      try await client.execute(uri: "/health/live", method: .get, headers: [.requestID: "client-id-1"]) { response in
        #expect(response.headers[.requestID] == "client-id-1")
      }
      try await client.execute(
        uri: "/health/live", method: .get, headers: [.requestID: String(repeating: "x", count: 300)]
      ) {
        response in
        #expect(response.headers[.requestID].map { UUID(uuidString: $0) != nil } == true)
      }
    }
  }

  @Test func unknownRoutesAreProblems() async throws {
    try await Self.withGateway { client, _ in
      try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try Self.json(response.body)
        #expect(problem["code"] as? String == "route_not_found")
        #expect(problem["status"] as? Int == 404)
        #expect(problem["type"] != nil && problem["title"] != nil && problem["detail"] != nil)
      }
    }
  }

  @Test func malformedJSONIsA400() async throws {
    try await Self.withGateway { client, _ in
      try await client.execute(uri: "/api/v1/auth/login", method: .post, body: Self.body("{\"email\":")) { response in
        #expect(response.status == .badRequest)
        #expect(Self.code(response.body) == "malformed_json")
      }
      try await client.execute(uri: "/api/v1/auth/login", method: .post, body: Self.body(#"{"email":"a@b.co"}"#)) {
        response in
        #expect(response.status == .badRequest)
        let problem = try Self.json(response.body)
        #expect(problem["code"] as? String == "validation_failed")
        #expect((problem["errors"] as? [[String: String]])?.first?["field"] == "password")
      }
    }
  }

  @Test func bodiesOverOneMebibyteAre413() async throws {
    try await Self.withGateway { client, _ in
      let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
      try await client.execute(uri: "/api/v1/users/register", method: .post, body: big) { response in
        #expect(response.status == .contentTooLarge)
        #expect(Self.code(response.body) == "payload_too_large")
      }
    }
  }

  @Test func upstreamErrorsKeepTheirStableCode() async throws {
    try await Self.withGateway { client, _ in
      let taken = #"{"email":"taken@example.com","password":"whatever1","name":"T"}"#
      try await client.execute(uri: "/api/v1/users/register", method: .post, body: Self.body(taken)) { response in
        #expect(response.status == .conflict)
        #expect(Self.code(response.body) == "email_taken")
      }
      let wrong = #"{"email":"a@b.co","password":"wrong"}"#
      try await client.execute(uri: "/api/v1/auth/login", method: .post, body: Self.body(wrong)) { response in
        #expect(response.status == .unauthorized)
        #expect(Self.code(response.body) == "invalid_credentials")
      }
    }
  }

  @Test func registerAnswers201AndIgnoresProtectedFields() async throws {
    try await Self.withGateway { client, fake in
      let body = #"{"email":"new@example.com","password":"whatever1","name":"N","role":"admin","id":"x"}"#
      try await client.execute(uri: "/api/v1/users/register", method: .post, body: Self.body(body)) { response in
        #expect(response.status == .created)
        let user = try Self.json(response.body)
        #expect(user["role"] as? String == "customer")
        #expect(user["id"] as? String == fake.user.uuidString.lowercased())
        #expect(user.keys.contains("phone") && user["phone"] is NSNull)
      }
    }
  }

  @Test func protectedRoutesNeedAValidBearerToken() async throws {
    try await Self.withGateway { client, fake in
      try await client.execute(uri: "/api/v1/users/me", method: .get) { response in
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
      }
      try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer not.a.token"]) {
        response in
        #expect(response.status == .unauthorized)
        #expect(Self.code(response.body) == "unauthorized")
      }
      let token = try await fake.issuer.issue(subject: fake.user, role: "customer")
      try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer \(token)"]) {
        response in
        #expect(response.status == .ok)
        #expect(Self.string(response.body, "id") == fake.user.uuidString.lowercased())
      }
    }
  }

  /// `null` is not a string: a body with it is refused, not read as "unchanged" or "default".
  @Test func aBodyWithANullFieldIsRefused() async throws {
    try await Self.withGateway { client, fake in
      let token = try await fake.issuer.issue(subject: fake.user, role: "customer")
      for (uri, method, body) in [
        ("/api/v1/users/me", HTTPRequest.Method.patch, #"{"phone": null}"#),
        ("/api/v1/users/me", .patch, #"{"name": null, "phone": "+44 20 7946 0958"}"#),
        (
          "/api/v1/users/me/addresses", .post,
          #"{"line1": "1 Main St", "city": "X", "postal_code": "1", "country": "DE", "is_default": null}"#
        ),
      ] {
        try await client.execute(
          uri: uri, method: method,
          headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: Self.body(body)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(Self.code(response.body) == "validation_failed")
        }
      }
    }
  }

  /// A route asked with a method it does not answer says which ones it does.
  @Test func anUndeclaredMethodIsA405ThatListsTheRoutesMethods() async throws {
    try await Self.withGateway { client, _ in
      for (method, uri, allowed) in [
        (HTTPRequest.Method.put, "/api/v1/users/me", "GET, PATCH"),
        (.init("TRACE")!, "/health", "GET"),
        (.delete, "/api/v1/products/8f0e1d2c-3b4a-4596-8877-665544332211", "GET, PATCH"),
      ] {
        try await client.execute(uri: uri, method: method) { response in
          #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
          #expect(response.headers[.allow] == allowed)
          #expect(response.headers[.contentType] == "application/problem+json")
          #expect(Self.code(response.body) == "method_not_allowed")
        }
      }
      try await client.execute(uri: "/api/v1/nothing/here", method: .put) { response in
        #expect(response.status == .notFound)
        #expect(Self.code(response.body) == "route_not_found")
      }
    }
  }

  @Test func servesTheIssuersKeysAndTheOpenAPIDocument() async throws {
    try await Self.withGateway { client, fake in
      try await client.execute(uri: "/.well-known/jwks.json", method: .get) { response in
        #expect(response.status == .ok)
        let keys = try Self.json(response.body)["keys"] as? [[String: Any]]
        #expect(keys?.first?["kid"] as? String == fake.issuer.key.kid)
      }
      try await client.execute(uri: "/openapi.yaml", method: .get) { response in
        #expect(response.status == .ok)
        let text = String(buffer: response.body)
        #expect(text.hasPrefix("openapi: 3.1"))
        for path in ["/api/v1/users/register", "/api/v1/auth/login", "/api/v1/users/me/addresses/{id}"] {
          #expect(text.contains("\n  \(path):"))
        }
      }
    }
  }

  @Test func anUnreachableUserServiceIsA503WithoutWaitingForTheDeadline() async throws {
    // Nothing listens on the port: every call fails at once and the breaker opens.
    // (port 1 on loopback is never served here). The deadline is long, so that an answer
    // that waited for it stands out from a slow moment of a busy machine.
    let deadline = Duration.seconds(20)
    let unreachable = try RPCClientService(
      target: .ipv4(host: "127.0.0.1", port: 1), security: RPCSecurity(mode: .plaintext)
    ).client
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await unreachable.runConnections() }
      let router = try Self.router(
        GatewayConfiguration(userTimeout: deadline, productTimeout: deadline), over: unreachable)
      try await Application(router: router).test(.router) { client in
        for _ in 0..<8 {
          let clock = ContinuousClock()
          let start = clock.now
          try await client.execute(
            uri: "/api/v1/auth/login", method: .post, body: Self.body(#"{"email":"a@b.co","password":"x"}"#)
          ) { response in
            #expect(response.status == .serviceUnavailable)
            #expect(Self.code(response.body) == "service_unavailable")
          }
          #expect(clock.now - start < deadline / 4)
        }
      }
      unreachable.beginGracefulShutdown()
      try await group.waitForAll()
    }
  }
}
