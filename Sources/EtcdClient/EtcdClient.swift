import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf

/// A client of etcd's v3 API over gRPC (etcd 3.4 and later): keys, leases and watches,
/// which is what a service registry needs.
///
/// The connection runs in ``run()``; ``withClient(endpoint:_:)`` runs one around a body.
/// Unary calls fail fast (no waiting for a connection) within ``callTimeout``; watches and
/// keep-alives are streams that last until etcd or the caller ends them.
public struct EtcdClient: Sendable {
  public let endpoint: String
  public let callTimeout: Duration
  private let grpc: GRPCClient<HTTP2ClientTransport.Posix>

  /// - Parameter endpoint: `host:port` of an etcd member's client URL (plaintext).
  public init(endpoint: String, callTimeout: Duration = .seconds(3)) throws {
    guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]),
      (1...65535).contains(port)
    else { throw RPCError(code: .invalidArgument, message: "etcd endpoint \(endpoint) is not host:port") }
    let host = String(endpoint[..<colon])
    let target: any ResolvableTarget =
      host.split(separator: ".").count == 4 && host.allSatisfy({ $0.isNumber || $0 == "." })
      ? .ipv4(address: host, port: port) : .dns(host: host, port: port)
    let transport = try HTTP2ClientTransport.Posix(
      target: target, transportSecurity: .plaintext,
      config: .defaults {
        // etcd coming back is noticed within a second.
        $0.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 2, jitter: 0.2)
        $0.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(3), allowWithoutCalls: true)
      })
    self.endpoint = endpoint
    self.callTimeout = callTimeout
    self.grpc = GRPCClient(transport: transport)
  }

  /// Runs the connection until ``beginGracefulShutdown()``.
  public func run() async throws { try await grpc.runConnections() }

  public func beginGracefulShutdown() { grpc.beginGracefulShutdown() }

  /// Runs `body` with a client whose connection lives exactly as long as the body.
  public static func withClient<T: Sendable>(
    endpoint: String, _ body: @Sendable (EtcdClient) async throws -> T
  ) async throws -> T {
    let client = try EtcdClient(endpoint: endpoint)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await client.run() }
      defer { client.beginGracefulShutdown() }
      return try await body(client)
    }
  }

  private var unary: CallOptions {
    var options = CallOptions.defaults
    options.timeout = callTimeout
    options.waitForReady = false
    return options
  }

  private var stream: CallOptions {
    var options = CallOptions.defaults
    options.waitForReady = false
    return options
  }

  // MARK: keys

  /// Sets `key` to `value`, bound to `lease` when one is given (0 for none).
  @discardableResult
  public func put(_ key: String, value: [UInt8], lease: Int64 = 0) async throws -> Int64 {
    let request = Etcdserverpb_PutRequest.with {
      $0.key = Data(key.utf8)
      $0.value = Data(value)
      $0.lease = lease
    }
    return try await Etcdserverpb_KV.Client(wrapping: grpc).put(request, options: unary).header.revision
  }

  /// Every key with `prefix`, in key order, and the revision they were read at.
  public func get(prefix: String) async throws -> EtcdSnapshot {
    let request = Etcdserverpb_RangeRequest.with {
      $0.key = Data(prefix.utf8)
      $0.rangeEnd = Data(EtcdKeyRange.end(ofPrefix: prefix))
    }
    let response = try await Etcdserverpb_KV.Client(wrapping: grpc).range(request, options: unary)
    return EtcdSnapshot(revision: response.header.revision, keyValues: response.kvs.map(EtcdKeyValue.init))
  }

  /// Deletes `key`; how many keys were deleted (0 or 1).
  @discardableResult
  public func delete(_ key: String) async throws -> Int64 {
    let request = Etcdserverpb_DeleteRangeRequest.with { $0.key = Data(key.utf8) }
    return try await Etcdserverpb_KV.Client(wrapping: grpc).deleteRange(request, options: unary).deleted
  }

  // MARK: leases

  /// A new lease that expires `ttl` after its last keep-alive; its id.
  public func grantLease(ttl: Duration) async throws -> Int64 {
    let request = Etcdserverpb_LeaseGrantRequest.with { $0.ttl = max(1, ttl.components.seconds) }
    let response = try await Etcdserverpb_Lease.Client(wrapping: grpc).leaseGrant(request, options: unary)
    guard response.error.isEmpty else { throw RPCError(code: .unavailable, message: response.error) }
    return response.id
  }

  /// Ends the lease at once, deleting every key bound to it.
  public func revokeLease(_ lease: Int64) async throws {
    let request = Etcdserverpb_LeaseRevokeRequest.with { $0.id = lease }
    _ = try await Etcdserverpb_Lease.Client(wrapping: grpc).leaseRevoke(request, options: unary)
  }

  /// Keeps `lease` alive with a keep-alive every `interval` until the caller is cancelled.
  /// Throws ``EtcdError/leaseExpired(_:)`` when etcd no longer knows the lease, and an
  /// error when the stream breaks (etcd stopped, say).
  public func keepAlive(_ lease: Int64, every interval: Duration) async throws {
    try await Etcdserverpb_Lease.Client(wrapping: grpc).leaseKeepAlive(
      options: stream,
      requestProducer: { writer in
        while true {
          try await writer.write(.with { $0.id = lease })
          try await Task.sleep(for: interval)
        }
      },
      onResponse: { response in
        for try await message in response.messages where message.ttl <= 0 {
          throw EtcdError.leaseExpired(lease)
        }
        throw EtcdError.streamEnded
      })
  }

  // MARK: watches

  /// Reports every change to a key with `prefix` from `revision` on (inclusive), one batch
  /// per revision, in order, until the caller is cancelled or the watch breaks: etcd ending
  /// it is ``EtcdError/watchCanceled(reason:compactRevision:)``, a broken stream an error.
  public func watch(
    prefix: String, fromRevision revision: Int64, _ onEvents: @escaping @Sendable ([EtcdEvent]) async throws -> Void
  ) async throws {
    let create = Etcdserverpb_WatchRequest.with {
      $0.createRequest = .with {
        $0.key = Data(prefix.utf8)
        $0.rangeEnd = Data(EtcdKeyRange.end(ofPrefix: prefix))
        $0.startRevision = revision
      }
    }
    try await Etcdserverpb_Watch.Client(wrapping: grpc).watch(
      options: stream,
      requestProducer: { writer in
        try await writer.write(create)
        // The request side stays open for as long as the watch: closing it ends the watch
        // on some etcd versions.
        while true { try await Task.sleep(for: .seconds(3600)) }
      },
      onResponse: { response in
        for try await message in response.messages {
          if message.canceled {
            throw EtcdError.watchCanceled(reason: message.cancelReason, compactRevision: message.compactRevision)
          }
          if !message.events.isEmpty { try await onEvents(message.events.map(EtcdEvent.init)) }
        }
        throw EtcdError.streamEnded
      })
  }
}
