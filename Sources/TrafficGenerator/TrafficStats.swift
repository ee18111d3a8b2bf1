import Histogram
import Synchronization

/// Every request's outcome and latency, by step, and a timeline of one point per tick. Shared
/// by every virtual user; each record is one short critical section.
public final class TrafficStats: Sendable {
  /// One tick of the timeline: what finished during it.
  public struct Point: Sendable, Equatable, Codable {
    /// Seconds since the statistics began.
    public var second: Double
    public var requests: Int
    public var errors: Int
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double
    public var sessionsStarted: Int
    /// Checkouts that placed an order (paid, or pending with a slow provider).
    public var checkouts: Int
    public var activeUsers: Int
    /// The session rate the mode asked for at the tick.
    public var rate: Double

    enum CodingKeys: String, CodingKey {
      case second, requests, errors, rate, checkouts
      case p50Ms = "p50_ms"
      case p95Ms = "p95_ms"
      case p99Ms = "p99_ms"
      case sessionsStarted = "sessions_started"
      case activeUsers = "active_users"
    }
  }

  struct Step {
    var histogram = TrafficStats.histogram()
    var errors: [StepOutcome.ErrorKind: Int] = [:]
    var expected = 0

    var summary: LatencySummary {
      LatencySummary(
        histogram: histogram, errors: errors.values.reduce(0, +), expected: expected,
        errorKinds: Dictionary(uniqueKeysWithValues: errors.map { ($0.key.description, $0.value) }))
    }

    mutating func add(_ other: Step) {
      histogram.add(other.histogram)
      errors.merge(other.errors, uniquingKeysWith: +)
      expected += other.expected
    }
  }

  struct State {
    var steps: [StepKey: Step] = [:]
    var window = Step()
    var sessionsInWindow = 0
    var checkoutsInWindow = 0
    var sessionsStarted = 0
    var sessionsDropped = 0
    var timeline: [Point] = []
  }

  private let state = Mutex(State())
  /// The timeline keeps this many points, dropping the oldest (a long-running generator).
  let timelineLimit: Int
  let metrics = TrafficMetrics()

  public init(timelineLimit: Int = 3600) {
    self.timelineLimit = timelineLimit
  }

  /// Microseconds from 1 µs to an hour, three significant digits.
  static func histogram() -> Histogram<UInt64> {
    Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
  }

  public func record(_ key: StepKey, latency: Duration, outcome: StepOutcome) {
    let micros = UInt64(
      clamping: max(1, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000))
    metrics.record(key, latency: latency, outcome: outcome)
    state.withLock { state in
      func note(_ step: inout Step) {
        _ = step.histogram.record(min(micros, 3_600_000_000))
        switch outcome {
        case .success: break
        case .expected: step.expected += 1
        case .failure(let kind): step.errors[kind, default: 0] += 1
        }
      }
      note(&state.steps[key, default: Step()])
      note(&state.window)
      if key == .checkoutOrder && outcome == .success { state.checkoutsInWindow += 1 }
    }
  }

  public func sessionStarted() {
    metrics.sessionStarted()
    state.withLock {
      $0.sessionsStarted += 1
      $0.sessionsInWindow += 1
    }
  }

  /// A session that found no free user and no room to wait.
  public func sessionDropped() {
    metrics.sessionDropped()
    state.withLock { $0.sessionsDropped += 1 }
  }

  /// Closes the current window as a point of the timeline and returns it with the window's
  /// latency percentiles in milliseconds (what the overload controller decides on).
  @discardableResult
  public func tick(second: Double, activeUsers: Int, rate: Double) -> (
    point: Point, latency: @Sendable (Double) -> Double
  ) {
    state.withLock { state in
      let window = state.window
      let summary = window.summary
      let point = Point(
        second: second, requests: summary.count, errors: summary.errors, p50Ms: summary.p50Ms, p95Ms: summary.p95Ms,
        p99Ms: summary.p99Ms, sessionsStarted: state.sessionsInWindow, checkouts: state.checkoutsInWindow,
        activeUsers: activeUsers, rate: rate)
      state.timeline.append(point)
      if state.timeline.count > timelineLimit { state.timeline.removeFirst(state.timeline.count - timelineLimit) }
      state.window = Step()
      state.sessionsInWindow = 0
      state.checkoutsInWindow = 0
      let histogram = window.histogram
      return (point, { histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile($0)) / 1000 })
    }
  }

  /// What was recorded so far.
  public func snapshot() -> TrafficSnapshot {
    state.withLock { state in
      var journeys: [Journey: Step] = [:]
      var total = Step()
      for (key, step) in state.steps {
        journeys[key.journey, default: Step()].add(step)
        total.add(step)
      }
      let histogram = total.histogram
      return TrafficSnapshot(
        steps: state.steps.mapValues(\.summary), journeys: journeys.mapValues(\.summary), total: total.summary,
        sessionsStarted: state.sessionsStarted, sessionsDropped: state.sessionsDropped, timeline: state.timeline,
        latency: { histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile($0)) / 1000 })
    }
  }
}

/// The statistics at one moment.
public struct TrafficSnapshot: Sendable {
  public var steps: [StepKey: LatencySummary]
  public var journeys: [Journey: LatencySummary]
  public var total: LatencySummary
  public var sessionsStarted: Int
  public var sessionsDropped: Int
  public var timeline: [TrafficStats.Point]
  /// Every request's latency in milliseconds at a percentile (0 to 100).
  public var latency: @Sendable (Double) -> Double
}
