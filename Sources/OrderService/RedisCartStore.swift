import Foundation
import NIOCore
import RedisClient
import RedisProtocol
import ShopContracts

/// Carts in Redis, through the project's own client: the hash `cart:<user id>` of product id
/// → quantity. Every read and change starts its idle time again; a cart left alone for
/// `idleExpiry` (30 days) is gone. A Redis that cannot be reached is `OrderError.unavailable`,
/// never a silent empty cart.
public struct RedisCartStore: CartStore {
  let redis: RedisClient
  public var idleExpiry: Duration

  public init(redis: RedisClient, idleExpiry: Duration = .seconds(30 * 24 * 3600)) {
    self.redis = redis
    self.idleExpiry = idleExpiry
  }

  static func key(_ userID: UUID) -> String { "cart:\(userID.lowercased)" }

  public func lines(of userID: UUID) async throws -> [UUID: Int64] {
    let key = Self.key(userID)
    let fields = try await reachable {
      let fields = try await redis.hashGetAll(key)
      if !fields.isEmpty { _ = try await redis.expire(key, after: idleExpiry) }
      return fields
    }
    var lines: [UUID: Int64] = [:]
    for (field, value) in fields {
      guard let id = UUID(uuidString: field), let quantity = Int64(String(buffer: value)) else { continue }
      lines[id] = quantity
    }
    return lines
  }

  public func set(_ quantity: Int64, of productID: UUID, for userID: UUID) async throws {
    let key = Self.key(userID)
    _ = try await reachable {
      try await changing(key, ["HSET", RESPArgument(key), RESPArgument(productID.lowercased), .integer(quantity)])
    }
  }

  public func remove(_ productID: UUID, for userID: UUID) async throws {
    let key = Self.key(userID)
    _ = try await reachable {
      try await changing(key, ["HDEL", RESPArgument(key), RESPArgument(productID.lowercased)])
    }
  }

  public func clear(for userID: UUID) async throws {
    _ = try await reachable { try await redis.delete(Self.key(userID)) }
  }

  /// The change and the cart's new idle time, pipelined on a shared connection: the two
  /// need no transaction, since each may be repeated and the change alone is what counts.
  private func changing(_ key: String, _ change: [RESPArgument]) async throws {
    let replies = try await redis.pipeline([
      change, ["EXPIRE", RESPArgument(key), .integer(idleExpiry.components.seconds)],
    ])
    for reply in replies { _ = try reply.get() }
  }

  private func reachable<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as RedisError where error.isConnectionError || error == .clientClosed {
      throw OrderError.unavailable("the cart store")
    }
  }
}
