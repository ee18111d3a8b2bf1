import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import NotificationService

@Suite(.timeLimit(.minutes(1)))
struct OutboundHTTPTests {
  static let http = OutboundHTTP(
    outbound: OutboundGuard(policy: OutboundAddressPolicy(allowsLoopback: true)), timeout: .seconds(5))

  /// A server that redirects `/moved` to `/target`, answers `/big` with 100 KiB and counts
  /// what reaches `/target`.
  final class Hits: Sendable {
    let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
  }

  static func router(_ targetHits: Hits) -> Router<BasicRequestContext> {
    let router = Router()
    router.post("moved") { _, _ in
      Response(status: .found, headers: [.location: "/target"])
    }
    router.post("target") { _, _ -> HTTPResponse.Status in
      targetHits.count.withLock { $0 += 1 }
      return .ok
    }
    router.post("big") { _, _ in
      Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 100 * 1024)))
    }
    return router
  }

  @Test func redirectsAreNotFollowedAndAResponseIsReadTo64KiB() async throws {
    let hits = Hits()
    try await Application(router: Self.router(hits)).test(.live) { live in
      let base = "http://127.0.0.1:\(try #require(live.port))"
      let moved = try await Self.http.post(URL(string: base + "/moved")!, headers: [], body: Data())
      #expect(moved.status == 302 && hits.value == 0)
      let big = try await Self.http.post(URL(string: base + "/big")!, headers: [], body: Data())
      #expect(big.status == 200 && big.body.readableBytes == OutboundHTTP.maximumResponseBytes)
    }
  }

  @Test func aRefusedAddressIsNeverAsked() async throws {
    let strict = OutboundHTTP(outbound: OutboundGuard(policy: OutboundAddressPolicy()), timeout: .seconds(5))
    let hits = Hits()
    try await Application(router: Self.router(hits)).test(.live) { live in
      let url = URL(string: "http://localhost:\(try #require(live.port))/target")!
      await #expect {
        try await strict.post(url, headers: [], body: Data())
      } throws: { error in
        if case .refused = error as? OutboundHTTP.Failure { return true }
        return false
      }
      #expect(hits.value == 0)
    }
  }

  @Test func retryAfterIsSecondsOrADate() {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    #expect(OutboundHTTP.Response.retryAfter("120", now: now) == .seconds(120))
    #expect(OutboundHTTP.Response.retryAfter("Fri, 15 Jan 2027 08:01:00 GMT", now: now) == .seconds(60))
    #expect(OutboundHTTP.Response.retryAfter("soon", now: now) == nil)
    #expect(OutboundHTTP.Response.retryAfter(nil, now: now) == nil)
  }

  @Test func plainHTTPGoesToTheCheckedAddressAndHTTPSKeepsItsName() {
    let address = IPAddress("93.184.215.14")!
    #expect(
      OutboundHTTP.pinned(URL(string: "http://hooks.example:8080/in?x=1")!, to: address).absoluteString
        == "http://93.184.215.14:8080/in?x=1")
    #expect(
      OutboundHTTP.pinned(URL(string: "https://hooks.example/in")!, to: address).absoluteString
        == "https://hooks.example/in")
  }
}
