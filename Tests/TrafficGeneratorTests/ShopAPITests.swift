import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Testing

@testable import TrafficGenerator

/// The virtual user's HTTP edge against a real HTTP server: what it counts as an error and
/// how it reads an event stream.
@Suite struct ShopAPITests {
  static func router() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/api/v1/slow") { _, _ -> HTTPResponse.Status in
      try await Task.sleep(for: .seconds(1))
      return .ok
    }
    router.get("/api/v1/short") { _, _ in
      Response(
        status: .conflict, headers: [.contentType: "application/problem+json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"status":409,"code":"out_of_stock"}"#)))
    }
    router.get("/api/v1/orders/o1/events") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/event-stream"],
        body: .init { writer in
          try await writer.write(ByteBuffer(string: "event: status\nid: 1\ndata: {\"status\":\"paid\"}\n\n"))
          try await Task.sleep(for: .milliseconds(50))
          try await writer.write(ByteBuffer(string: ": keep-alive\n\nevent: status\nid: 2\ndata: {\"status\":"))
          try await writer.write(ByteBuffer(string: "\"shipped\"}\n\n"))
          try await Task.sleep(for: .seconds(1))
          try await writer.finish(nil)
        })
    }
    router.get("/api/v1/orders/silent/events") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/event-stream"],
        body: .init { writer in
          try await Task.sleep(for: .seconds(1))
          try await writer.finish(nil)
        })
    }
    return router
  }

  func withAPI(_ body: @Sendable (ShopAPI, TrafficStats) async throws -> Void) async throws {
    try await Application(router: Self.router()).test(.live) { live in
      let stats = TrafficStats()
      let api = ShopAPI(
        http: HTTPClient.shared, base: "http://127.0.0.1:\(live.port!)", stats: stats, timeout: .milliseconds(300))
      try await body(api, stats)
    }
  }

  @Test func anAnswerTooLateIsATimeoutCountedFromWhenItWasDue() async throws {
    try await withAPI { api, stats in
      let due = ContinuousClock.now - .milliseconds(200)
      let answer = await api.call(StepKey(.browse, "slow"), .GET, "/slow", token: "t", intendedStart: due)
      #expect(answer.outcome == .failure(.timeout))
      let step = stats.snapshot().steps[StepKey(.browse, "slow")]!
      #expect(step.errorKinds == ["timeout": 1])
      #expect(step.maxMs >= 480)
    }
  }

  @Test func aRefusalIsExpectedOnlyWhereTheStepSaysSo() async throws {
    try await withAPI { api, stats in
      let expected = await api.call(
        StepKey(.cart, "add"), .GET, "/short", token: "t", expected: [409: ["out_of_stock"]])
      #expect(expected.outcome == .expected("409 out_of_stock") && expected.status == 409)
      let unexpected = await api.call(StepKey(.browse, "list"), .GET, "/short", token: "t")
      #expect(unexpected.outcome == .failure(.http(status: 409, code: "out_of_stock")))
      let untimed = await api.call(nil, .GET, "/short", token: "t")
      #expect(untimed.status == 409)
      #expect(stats.snapshot().total.count == 2)
    }
  }

  @Test func noServerIsAConnectionError() async {
    let stats = TrafficStats()
    let api = ShopAPI(http: HTTPClient.shared, base: "http://127.0.0.1:9", stats: stats, timeout: .seconds(2))
    let answer = await api.call(StepKey(.search, "query"), .GET, "/products", token: nil)
    #expect(answer.outcome == .failure(.connection))
  }

  @Test func followingReadsEventsSplitAcrossChunksAndTimesTheFirst() async throws {
    try await withAPI { api, stats in
      let key = StepKey(.follow, "events")
      let statuses = await api.follow(
        key, orderID: "o1", token: "t", duration: .milliseconds(500), intendedStart: .now)
      #expect(statuses == ["paid", "shipped"])
      let step = stats.snapshot().steps[key]!
      #expect(step.count == 1 && step.errors == 0)
      #expect(step.maxMs < 400)
    }
  }

  @Test func aStreamThatSaysNothingWhileWatchedIsATimeout() async throws {
    try await withAPI { api, stats in
      let key = StepKey(.follow, "events")
      let statuses = await api.follow(
        key, orderID: "silent", token: "t", duration: .milliseconds(200), intendedStart: .now)
      #expect(statuses.isEmpty)
      #expect(stats.snapshot().steps[key]?.errorKinds == ["timeout": 1])
    }
  }
}
