import Crypto
import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import Logging
import RedisClient
import RedisProtocol
import ShopRPC
import ShopResilience

/// The product reads of API.md's Limits (a product, the category tree, searches recently
/// answered) kept in Redis, and served from there only while the product service is
/// unavailable (down, or every instance's breaker open), marked `Warning: 110 - "stale"`.
/// While it answers, every read is fresh: its answer is kept, never served. A read that is
/// not kept is `503 service_unavailable` at once; a read the service refused (not found,
/// invalid) is that answer, never a kept one.
struct ProductReadCache: Sendable {
  let redis: RedisClient?
  /// How long an answer is kept: how stale a read served in an outage may be.
  let ttl: Duration
  let logger: Logger

  /// The key of a search: its query, in a stable order.
  static func searchKey(_ query: [(String, String)]) -> String {
    let canonical = query.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    return "cache:search:" + SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// The `200` answer of `read` (a JSON body), kept under `key`; when the product service is
  /// unavailable, the kept one, marked stale.
  func read(_ key: String, _ read: () async throws -> ByteBuffer) async throws -> Response {
    let (body, stale) = try await answer(key, read)
    var response = JSONIO.response(.ok, body: body)
    if stale { response.headers[.warning] = #"110 - "stale""# }
    return response
  }

  /// The body to answer, and whether it is a kept one.
  func answer(_ key: String, _ read: () async throws -> ByteBuffer) async throws -> (body: ByteBuffer, stale: Bool) {
    do {
      let body = try await read()
      if let redis {
        let ttl = self.ttl
        // Kept after the answer, off the request's path.
        Task { try? await redis.set(key, to: RESPArgument(body), expiration: ttl) }
      }
      return (body, false)
    } catch  where Self.isUnavailable(error) {
      guard let redis, let kept = try? await redis.get(key) else {
        throw APIProblem.serviceUnavailable("the catalog is temporarily unavailable; retry shortly")
      }
      logger.info("served a kept product read", metadata: ["cache.key": "\(key)"])
      return (kept, true)
    }
  }

  /// Errors that say the service cannot answer now, as opposed to an answer about the request.
  static func isUnavailable(_ error: any Error) -> Bool {
    if error is CircuitBreakerOpenError { return true }
    guard let error = error as? RPCError else { return false }
    return error.code == .unavailable || error.code == .deadlineExceeded
  }
}

extension HTTPField.Name {
  static let warning = HTTPField.Name("Warning")!
}
