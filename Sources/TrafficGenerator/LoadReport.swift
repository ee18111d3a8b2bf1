import Foundation

/// Everything a bounded run measured, as `.run/reports/<time>.json` holds it and the HTML
/// report draws it.
public struct LoadReport: Sendable, Codable {
  /// A program's resources over the run.
  public struct Resources: Sendable, Codable, Equatable {
    public var peakResidentMB: Double
    public var meanCPUPercent: Double
    public var peakCPUPercent: Double
    public var series: [ResourceSampler.Point]

    enum CodingKeys: String, CodingKey {
      case series
      case peakResidentMB = "peak_resident_mb"
      case meanCPUPercent = "mean_cpu_percent"
      case peakCPUPercent = "peak_cpu_percent"
    }

    init(series: [ResourceSampler.Point]) {
      self.series = series
      peakResidentMB = series.map(\.residentMB).max() ?? 0
      // The first point has no CPU interval before it.
      let cpu = series.dropFirst().map(\.cpuPercent)
      meanCPUPercent = cpu.isEmpty ? 0 : cpu.reduce(0, +) / Double(cpu.count)
      peakCPUPercent = cpu.max() ?? 0
    }
  }

  public var startedAt: Date
  public var users: Int
  public var durationSeconds: Double
  public var rampSeconds: Double
  /// Sessions per second asked for once the ramp is over.
  public var rate: Double
  public var slo: String
  public var violations: [String]
  public var total: LatencySummary
  public var journeys: [String: LatencySummary]
  public var steps: [String: LatencySummary]
  public var sessionsStarted: Int
  public var sessionsDropped: Int
  /// The best ten-second average of paid (or pending) checkouts per second.
  public var sustainedCheckoutRate: Double
  public var timeline: [TrafficStats.Point]
  /// By supervisord program, and the generator under `generator`.
  public var resources: [String: Resources]
  /// The stack's programs' peaks added up (the generator not counted).
  public var stackPeakResidentMB: Double
  /// The generator's CPU as a share of the machine's (all cores).
  public var generatorCPUShare: Double
  public var cores: Int

  public var sloMet: Bool

  enum CodingKeys: String, CodingKey {
    case users, slo, violations, total, journeys, steps, timeline, resources, cores, rate
    case startedAt = "started_at"
    case durationSeconds = "duration_seconds"
    case rampSeconds = "ramp_seconds"
    case sessionsStarted = "sessions_started"
    case sessionsDropped = "sessions_dropped"
    case sustainedCheckoutRate = "sustained_checkout_rate"
    case stackPeakResidentMB = "stack_peak_resident_mb"
    case generatorCPUShare = "generator_cpu_share"
    case sloMet = "slo_met"
  }

  init(
    startedAt: Date, users: Int, duration: Duration, ramp: Duration, rate: Double, slo: SLO,
    snapshot: TrafficSnapshot, resources: [String: [ResourceSampler.Point]],
    cores: Int
  ) {
    self.startedAt = startedAt
    self.users = users
    durationSeconds = duration / .seconds(1)
    rampSeconds = ramp / .seconds(1)
    self.rate = rate
    self.slo = slo.description
    violations = slo.violations(latency: snapshot.latency, errorRatio: snapshot.total.errorRatio)
    sloMet = violations.isEmpty
    total = snapshot.total
    journeys = Dictionary(uniqueKeysWithValues: snapshot.journeys.map { ($0.key.rawValue, $0.value) })
    steps = Dictionary(uniqueKeysWithValues: snapshot.steps.map { ($0.key.description, $0.value) })
    sessionsStarted = snapshot.sessionsStarted
    sessionsDropped = snapshot.sessionsDropped
    sustainedCheckoutRate = Self.bestAverage(snapshot.timeline.map { Double($0.checkouts) }, window: 10)
    timeline = snapshot.timeline
    self.resources = resources.mapValues(Resources.init(series:))
    stackPeakResidentMB = self.resources.filter { $0.key != ResourceSampler.generator }.values
      .reduce(0) { $0 + $1.peakResidentMB }
    let generator = self.resources[ResourceSampler.generator]?.meanCPUPercent ?? 0
    generatorCPUShare = generator / 100 / Double(max(cores, 1))
    self.cores = cores
  }

  /// The highest mean of `window` consecutive values (of all of them when there are fewer).
  static func bestAverage(_ values: [Double], window: Int) -> Double {
    guard !values.isEmpty else { return 0 }
    guard values.count > window else { return values.reduce(0, +) / Double(values.count) }
    var sum = values.prefix(window).reduce(0, +)
    var best = sum
    for index in window..<values.count {
      sum += values[index] - values[index - window]
      best = max(best, sum)
    }
    return best / Double(window)
  }
}
