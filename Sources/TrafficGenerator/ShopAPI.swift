import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The public API as one virtual user calls it: its own HTTP client (so its own keep-alive
/// connection through the edge), its token, and every request timed and counted.
struct ShopAPI: Sendable {
  /// An answer: its status and its JSON body (empty when there was none or it was not JSON).
  struct Answer {
    var status: Int
    var json: [String: Any]
    var outcome: StepOutcome
    /// A `429`'s `Retry-After`, in seconds.
    var retryAfter: Int? = nil

    var isSuccess: Bool { outcome == .success }
  }

  let http: HTTPClient
  /// The edge's base URL, such as `http://127.0.0.1:8080`.
  let base: String
  let stats: TrafficStats
  let timeout: Duration

  static let clock = ContinuousClock()

  /// Sends one request and records it under `key` (setup requests, with no key, are not
  /// counted), its latency counted from `intendedStart` (when the request was due, not when it
  /// went out) to the end of the answer's body.
  /// - Parameter expected: answers besides 2xx the step expects (status → problem codes).
  func call(
    _ key: StepKey?, _ method: HTTPMethod, _ path: String, body: [String: Any]? = nil, token: String?,
    idempotencyKey: String? = nil, expected: [Int: Set<String>] = [:],
    intendedStart: ContinuousClock.Instant = clock.now
  ) async -> Answer {
    var request = HTTPClientRequest(url: base + "/api/v1" + path)
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
    if let body, let data = try? JSONSerialization.data(withJSONObject: body) {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: data))
    }
    let answer: Answer
    do {
      let response = try await http.execute(request, timeout: .init(timeout))
      let bytes = try await response.body.collect(upTo: 4 << 20)
      let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
      let status = Int(response.status.code)
      answer = Answer(
        status: status, json: json,
        outcome: .classify(status: status, code: json["code"] as? String, expected: expected),
        retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) })
    } catch {
      answer = Answer(status: 0, json: [:], outcome: .failure(Self.kind(of: error)))
    }
    if let key { stats.record(key, latency: Self.clock.now - intendedStart, outcome: answer.outcome) }
    return answer
  }

  /// Opens an order's live event stream, records the time to its first event under `key`,
  /// and keeps reading for `duration` (a customer watching the page); returns the statuses
  /// it saw.
  func follow(
    _ key: StepKey, orderID: String, token: String, duration: Duration, intendedStart: ContinuousClock.Instant
  ) async -> [String] {
    var request = HTTPClientRequest(url: base + "/api/v1/orders/\(orderID)/events")
    request.headers.add(name: "Authorization", value: "Bearer \(token)")
    request.headers.add(name: "Accept", value: "text/event-stream")
    let response: HTTPClientResponse
    do {
      response = try await http.execute(request, timeout: .init(timeout))
    } catch {
      stats.record(key, latency: Self.clock.now - intendedStart, outcome: .failure(Self.kind(of: error)))
      return []
    }
    guard response.status == .ok else {
      let bytes = try? await response.body.collect(upTo: 1 << 20)
      let json = bytes.flatMap { try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) } as? [String: Any]
      stats.record(
        key, latency: Self.clock.now - intendedStart,
        outcome: .classify(status: Int(response.status.code), code: json?["code"] as? String))
      return []
    }
    let stats = self.stats
    // The stream is read in a child task that is cancelled when the customer looks away,
    // which closes the connection.
    return await withTaskGroup(of: [String]?.self) { group in
      group.addTask {
        var statuses: [String] = []
        var pending = ""
        var recorded = false
        do {
          for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let end = pending.range(of: "\n\n") {
              let event = pending[..<end.lowerBound]
              pending.removeSubrange(..<end.upperBound)
              guard let data = event.split(separator: "\n").first(where: { $0.hasPrefix("data:") }) else { continue }
              if !recorded {
                stats.record(key, latency: Self.clock.now - intendedStart, outcome: .success)
                recorded = true
              }
              let payload = Data(data.dropFirst(5).utf8)
              if let status = (try? JSONSerialization.jsonObject(with: payload) as? [String: Any])?["status"] as? String
              {
                statuses.append(status)
              }
            }
          }
        } catch {
          // Cancelled before the first event: the stream said nothing while the customer watched.
          if !recorded {
            let kind = Task.isCancelled ? .timeout : Self.kind(of: error)
            stats.record(key, latency: Self.clock.now - intendedStart, outcome: .failure(kind))
          }
          return statuses
        }
        if !recorded {
          stats.record(
            key, latency: Self.clock.now - intendedStart, outcome: .failure(Task.isCancelled ? .timeout : .connection))
        }
        return statuses
      }
      group.addTask {
        try? await Task.sleep(for: duration)
        return nil
      }
      var statuses: [String] = []
      for await result in group {
        if let result {
          statuses = result
          group.cancelAll()
        } else {
          group.cancelAll()
        }
      }
      return statuses
    }
  }

  static func kind(of error: any Error) -> StepOutcome.ErrorKind {
    if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
      return .timeout
    }
    return .connection
  }
}
