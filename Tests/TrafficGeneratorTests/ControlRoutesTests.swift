import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TrafficGenerator

@Suite struct ControlRoutesTests {
  func withControl(
    _ settings: TrafficSettings = TrafficSettings(mode: .pause, rate: 5),
    _ body: @Sendable (TrafficEngine, any TestClientProtocol) async throws -> Void
  ) async throws {
    let engine = TrafficEngine(settings: settings)
    let router = Router()
    ControlRoutes(engine: engine).add(to: router)
    try await Application(router: router).test(.router) { try await body(engine, $0) }
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as! [String: Any]
  }

  @Test func theStatusNamesTheModeTheRateAndEachJourney() async throws {
    try await withControl(TrafficSettings(mode: .steady, rate: 8)) { engine, client in
      engine.stats.record(StepKey(.browse, "list"), latency: .milliseconds(12), outcome: .success)
      engine.stats.record(StepKey(.browse, "product"), latency: .milliseconds(30), outcome: .failure(.timeout))
      try await client.execute(uri: "/status", method: .get) { response in
        #expect(response.status == .ok)
        let status = try Self.json(response.body)
        #expect(status["mode"] as? String == "steady")
        #expect(status["rate"] as? Double == 8)
        #expect(status["active_users"] as? Int == 0)
        let browse = try #require((status["journeys"] as? [String: Any])?["browse"] as? [String: Any])
        #expect(browse["count"] as? Int == 2 && browse["errors"] as? Int == 1)
        #expect(browse["p50_ms"] is Double && browse["p95_ms"] is Double && browse["p99_ms"] is Double)
      }
    }
  }

  @Test func aModeChangeIsInEffectAtOnce() async throws {
    try await withControl { engine, client in
      let body = ByteBuffer(string: #"{"mode":"burst","rate":4,"burst_factor":3,"burst_seconds":10}"#)
      try await client.execute(uri: "/mode", method: .put, body: body) { response in
        #expect(response.status == .ok)
        let settings = try Self.json(response.body)
        #expect(settings["mode"] as? String == "burst" && settings["burst_factor"] as? Double == 3)
      }
      #expect(engine.settings.mode == .burst)
      // The burst starts with its spike.
      #expect(engine.rate == 12)
      try await client.execute(uri: "/status", method: .get) { response in
        let status = try Self.json(response.body)
        #expect(status["rate"] as? Double == 12)
      }
    }
  }

  @Test(arguments: [
    #"{"mode":"warp"}"#, #"{"mode":"steady","rate":-3}"#, #"{"rate":3}"#, "not json", #"{"mode":7}"#,
  ])
  func aBadChangeIsAProblemAndChangesNothing(_ text: String) async throws {
    try await withControl(TrafficSettings(mode: .steady, rate: 6)) { engine, client in
      try await client.execute(uri: "/mode", method: .put, body: ByteBuffer(string: text)) { response in
        #expect(response.status == .badRequest)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try Self.json(response.body)
        #expect(problem["code"] as? String == "validation_failed")
        #expect(problem["status"] as? Int == 400)
      }
      #expect(engine.settings == TrafficSettings(mode: .steady, rate: 6))
    }
  }
}
