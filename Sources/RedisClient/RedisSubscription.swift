import Logging
import NIOCore
import RedisProtocol

/// A message received on a subscription.
public struct RedisPubSubMessage: Sendable, Equatable {
  /// The channel the message was published on.
  public var channel: String
  /// The pattern that matched, for pattern subscriptions.
  public var pattern: String?
  public var payload: ByteBuffer
}

/// The messages of `SUBSCRIBE`/`PSUBSCRIBE`, as an async sequence on a connection of its
/// own. When the connection drops, the iterator reconnects with backoff and subscribes again;
/// messages published meanwhile are lost, as Redis pub/sub promises nothing else. Ending the
/// iteration closes the connection.
public struct RedisSubscription: AsyncSequence, Sendable {
  public typealias Element = RedisPubSubMessage

  let configuration: RedisConfiguration
  let channels: [String]
  let patterns: [String]
  let logger: Logger
  let onSubscribed: @Sendable () -> Void

  public func makeAsyncIterator() -> Iterator {
    Iterator(subscription: self)
  }

  public struct Iterator: AsyncIteratorProtocol {
    /// Closes the subscription's connection when the last copy of the iterator goes away,
    /// so that a consumer that stops iterating does not leave it subscribed.
    final class Owner {
      let connection: RedisConnection

      init(_ connection: RedisConnection) {
        self.connection = connection
      }

      deinit {
        connection.channel.close(promise: nil)
      }
    }

    let subscription: RedisSubscription
    private var owner: Owner?
    private var connection: RedisConnection? { owner?.connection }
    private var pushes: AsyncStream<RESPValue>.AsyncIterator?

    init(subscription: RedisSubscription) {
      self.subscription = subscription
    }

    public mutating func next() async throws -> RedisPubSubMessage? {
      var backoff = subscription.configuration.reconnectBackoff.initial
      while !Task.isCancelled {
        if pushes == nil {
          do {
            try await subscribe()
            backoff = subscription.configuration.reconnectBackoff.initial
          } catch {
            subscription.logger.info("redis subscribe failed; retrying", metadata: ["error.message": "\(error)"])
            try await Task.sleep(for: backoff)
            backoff = Swift.min(backoff * 2, subscription.configuration.reconnectBackoff.maximum)
            continue
          }
        }
        guard let push = await pushes?.next() else {
          // The connection ended: subscribe again on a new one.
          owner = nil
          pushes = nil
          continue
        }
        if let message = Self.message(from: push) { return message }
      }
      await connection?.close()
      return nil
    }

    private mutating func subscribe() async throws {
      let connection = try await RedisConnection.connect(
        configuration: subscription.configuration, logger: subscription.logger)
      var iterator = connection.pushes.makeAsyncIterator()
      // Subscription confirmations arrive as pushes in RESP3, one per channel.
      var expected = 0
      if !subscription.channels.isEmpty {
        try await connection.sendWithoutReply(["SUBSCRIBE"] + subscription.channels.map { RESPArgument($0) })
        expected += subscription.channels.count
      }
      if !subscription.patterns.isEmpty {
        try await connection.sendWithoutReply(["PSUBSCRIBE"] + subscription.patterns.map { RESPArgument($0) })
        expected += subscription.patterns.count
      }
      while expected > 0, let push = await iterator.next() {
        if case .push(let parts) = push, let kind = parts.first?.string, kind == "subscribe" || kind == "psubscribe" {
          expected -= 1
        }
      }
      guard expected == 0 else { throw RedisError.connectionClosed }
      self.owner = Owner(connection)
      self.pushes = iterator
      subscription.onSubscribed()
    }

    static func message(from push: RESPValue) -> RedisPubSubMessage? {
      guard case .push(let parts) = push, let kind = parts.first?.string else { return nil }
      switch kind {
      case "message" where parts.count == 3:
        guard let channel = parts[1].string, case .blobString(let payload) = parts[2] else { return nil }
        return RedisPubSubMessage(channel: channel, pattern: nil, payload: payload)
      case "pmessage" where parts.count == 4:
        guard let pattern = parts[1].string, let channel = parts[2].string, case .blobString(let payload) = parts[3]
        else { return nil }
        return RedisPubSubMessage(channel: channel, pattern: pattern, payload: payload)
      default:
        return nil
      }
    }
  }
}

extension RedisClient {
  /// Subscribes to channels and patterns; iterate the result to receive messages.
  /// `onSubscribed` runs each time the subscription is (re)established.
  public func subscribe(
    channels: [String] = [], patterns: [String] = [], onSubscribed: @escaping @Sendable () -> Void = {}
  ) -> RedisSubscription {
    precondition(!channels.isEmpty || !patterns.isEmpty, "subscribe to at least one channel or pattern")
    return RedisSubscription(
      configuration: configuration, channels: channels, patterns: patterns, logger: logger, onSubscribed: onSubscribed)
  }

  /// `PUBLISH`: how many subscribers received the message.
  @discardableResult
  public func publish(_ message: RESPArgument, to channel: String) async throws -> Int {
    try Self.integer(await send(["PUBLISH", RESPArgument(channel), message]))
  }
}
