import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The public API as the benchmark uses it: an admin's product, customers, checkouts.
struct API: Sendable {
  let http: HTTPClient
  let base: String

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  func send(_ method: HTTPMethod, _ path: String, _ body: [String: Any]?, token: String? = nil, key: String? = nil)
    async throws -> (Int, [String: Any])
  {
    var request = HTTPClientRequest(url: base + path)
    request.method = method
    request.headers.add(name: "Content-Type", value: "application/json")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let key { request.headers.add(name: "Idempotency-Key", value: key) }
    if let body { request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))) }
    let response = try await http.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
    return (Int(response.status.code), json)
  }

  func login(_ email: String, _ password: String) async throws -> String {
    let (status, body) = try await send(.POST, "/auth/login", ["email": email, "password": password])
    guard status == 200, let token = body["access_token"] as? String else {
      throw Failure(description: "login \(status)")
    }
    return token
  }

  /// A product with stock enough for every run, in a category of its own.
  func benchProduct(admin: String) async throws -> String {
    let slug = "bench-\(UUID().uuidString.prefix(8).lowercased())"
    let (_, category) = try await send(.POST, "/categories", ["name": "Bench \(slug)", "slug": slug], token: admin)
    let (status, product) = try await send(
      .POST, "/products",
      [
        "sku": slug.uppercased(), "name": "Benchmark Lamp", "price": ["amount": 1999, "currency": "USD"],
        "category_id": category["id"] as? String ?? "", "initial_stock": 1_000_000_000,
      ], token: admin)
    guard status == 201, let id = product["id"] as? String else { throw Failure(description: "product \(status)") }
    return id
  }

  /// `count` new customers' access tokens, registered ten at a time.
  func customers(_ count: Int) async throws -> [String] {
    var tokens: [String] = []
    for batch in stride(from: 0, to: count, by: 10) {
      tokens += try await withThrowingTaskGroup(of: String.self) { group in
        for _ in batch..<min(batch + 10, count) {
          group.addTask {
            let email = "bench-\(UUID().uuidString.prefix(12).lowercased())@example.com"
            let password = "bench-password-\(UUID().uuidString.prefix(6))"
            let (status, _) = try await send(
              .POST, "/users/register", ["email": email, "password": password, "name": "Bench"])
            guard status == 201 else { throw Failure(description: "register \(status)") }
            return try await login(email, password)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
    }
    return tokens
  }

  /// One checkout of one item with the approving card; true when it was paid.
  func checkout(product: String, token: String) async -> Bool {
    let body: [String: Any] = [
      "items": [["product_id": product, "quantity": 1]],
      "shipping_address": ["line1": "1 Bench Street", "city": "Benchville", "postal_code": "12345", "country": "DE"],
      "payment": ["card_number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"],
    ]
    guard let (status, order) = try? await send(.POST, "/orders", body, token: token, key: UUID().uuidString) else {
      return false
    }
    return status == 201 && order["status"] as? String == "paid"
  }
}
