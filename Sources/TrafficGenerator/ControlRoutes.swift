import Foundation
import Hummingbird

/// The control API of `shop traffic` (API.md, Traffic generator): `GET /status` and
/// `PUT /mode`; `/metrics` and `/health` are the operations routes every program has.
struct ControlRoutes: Sendable {
  let engine: TrafficEngine

  /// What `GET /status` answers.
  struct Status: Encodable {
    var mode: String
    var rate: Double
    var activeUsers: Int
    var users: Int
    var settings: TrafficSettings
    var sessionsStarted: Int
    var sessionsDropped: Int
    var journeys: [String: LatencySummary]

    enum CodingKeys: String, CodingKey {
      case mode, rate, users, settings, journeys
      case activeUsers = "active_users"
      case sessionsStarted = "sessions_started"
      case sessionsDropped = "sessions_dropped"
    }
  }

  func add(to router: Router<BasicRequestContext>) {
    router.get("/status") { _, _ in try Self.json(.ok, status()) }
    router.put("/mode") { request, _ in
      let body = try await request.body.collect(upTo: 64 * 1024)
      let change: ModeChange
      do {
        change = try JSONDecoder().decode(ModeChange.self, from: Data(body.readableBytesView))
      } catch {
        return Self.problem(.badRequest, "validation_failed", "the body is not a mode change: {\"mode\": …}")
      }
      let settings: TrafficSettings
      do throws(TrafficError) {
        settings = try engine.change(change)
      } catch {
        return Self.problem(.badRequest, error.code.rawValue, error.message)
      }
      return try Self.json(.ok, settings)
    }
  }

  func status() -> Status {
    let snapshot = engine.stats.snapshot()
    let settings = engine.settings
    return Status(
      mode: settings.mode.rawValue, rate: engine.rate, activeUsers: engine.activeUsers, users: engine.users,
      settings: settings, sessionsStarted: snapshot.sessionsStarted, sessionsDropped: snapshot.sessionsDropped,
      journeys: Dictionary(uniqueKeysWithValues: snapshot.journeys.map { ($0.key.rawValue, $0.value) }))
  }

  static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
  }

  /// An RFC 9457 problem with a stable `code`.
  static func problem(_ status: HTTPResponse.Status, _ code: String, _ detail: String) -> Response {
    let problem: [String: Any] = [
      "type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail, "code": code,
    ]
    let body = (try? JSONSerialization.data(withJSONObject: problem, options: [.sortedKeys])) ?? Data()
    return Response(
      status: status, headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
