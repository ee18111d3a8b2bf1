import Histogram

/// Counts and latency percentiles of a set of requests: a step, a journey, a whole run.
public struct LatencySummary: Sendable, Equatable, Codable {
  public var count: Int
  public var errors: Int
  /// Business refusals the journeys expect (not errors).
  public var expected: Int
  public var p50Ms: Double
  public var p95Ms: Double
  public var p99Ms: Double
  public var maxMs: Double
  /// Errors by kind: `timeout`, `connection`, or the HTTP status and problem code.
  public var errorKinds: [String: Int]

  enum CodingKeys: String, CodingKey {
    case count, errors, expected
    case p50Ms = "p50_ms"
    case p95Ms = "p95_ms"
    case p99Ms = "p99_ms"
    case maxMs = "max_ms"
    case errorKinds = "error_kinds"
  }

  public init(
    count: Int, errors: Int, expected: Int, p50Ms: Double, p95Ms: Double, p99Ms: Double, maxMs: Double,
    errorKinds: [String: Int]
  ) {
    self.count = count
    self.errors = errors
    self.expected = expected
    self.p50Ms = p50Ms
    self.p95Ms = p95Ms
    self.p99Ms = p99Ms
    self.maxMs = maxMs
    self.errorKinds = errorKinds
  }

  /// From a histogram of microseconds.
  init(histogram: Histogram<UInt64>, errors: Int, expected: Int, errorKinds: [String: Int]) {
    let empty = histogram.totalCount == 0
    func ms(_ percentile: Double) -> Double {
      empty ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }
    self.init(
      count: Int(histogram.totalCount), errors: errors, expected: expected, p50Ms: ms(50), p95Ms: ms(95),
      p99Ms: ms(99), maxMs: empty ? 0 : Double(histogram.max) / 1000, errorKinds: errorKinds)
  }

  public var errorRatio: Double { count == 0 ? 0 : Double(errors) / Double(count) }
}
