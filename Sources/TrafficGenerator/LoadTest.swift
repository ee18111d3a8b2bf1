import Foundation
import Logging
import NIOCore

/// `shop traffic run`: a bounded load test. The customers are made ready first (not
/// measured); then sessions arrive for `duration`, the rate rising over `ramp`; then the
/// report is printed and written, and the SLO decides the exit status.
public enum LoadTest {
  public struct Options: Sendable {
    public var users: Int
    public var duration: Duration
    public var ramp: Duration
    public var slo: SLO
    /// Sessions per second; by default what keeps nine in ten users busy.
    public var rate: Double?
    public var mode: TrafficSettings.Mode
    public var reports: String

    public init(
      users: Int, duration: Duration, ramp: Duration, slo: SLO, rate: Double?, mode: TrafficSettings.Mode,
      reports: String
    ) {
      self.users = users
      self.duration = duration
      self.ramp = ramp
      self.slo = slo
      self.rate = rate
      self.mode = mode
      self.reports = reports
    }
  }

  /// The share of the users a run's default rate keeps in a session.
  static let utilisation = 0.9

  /// Runs the test and writes its reports; returns the report and the paths written.
  public static func run(
    configuration: TrafficConfiguration, options: Options, logger: Logger,
    progress: @Sendable (String) -> Void
  ) async throws -> (report: LoadReport, json: String, html: String) {
    var configuration = configuration
    configuration.slo = options.slo
    let generator = LoadGenerator(
      configuration: configuration, users: options.users, settings: TrafficSettings(mode: .pause),
      logger: logger)
    progress("preparing \(options.users) customers (registered once, then logged in)")
    let runner: JourneyRunner
    do {
      runner = try await generator.prepare()
    } catch {
      await generator.shutdown()
      throw error
    }
    let rate =
      options.rate
      ?? Double(options.users) * utilisation / (runner.meanSessionDuration(generator.engine.mix) / .seconds(1))
    progress(
      "running \(options.mode.rawValue) at \(String(format: "%.1f", rate)) sessions/s for \(options.duration) "
        + "(ramp \(options.ramp))")
    let started = Date()
    let sampler = ResourceSampler(supervisorConfiguration: configuration.supervisorConfig)
    let engine = generator.engine
    try engine.change(ModeChange(mode: options.mode.rawValue, rate: rate))
    engine.ramp(over: options.ramp)
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await sampler.run() }
      group.addTask { await generator.run(runner) }
      group.addTask {
        try? await Task.sleep(for: options.duration)
        engine.stop()
      }
      // The generator ends once the sessions in flight have; then the sampler is stopped.
      await group.next()
      await group.next()
      group.cancelAll()
    }
    await generator.shutdown()
    let report = LoadReport(
      startedAt: started, users: options.users, duration: options.duration, ramp: options.ramp, rate: rate,
      slo: options.slo, snapshot: engine.stats.snapshot(), resources: sampler.samples,
      cores: System.coreCount)
    let paths = try write(report, to: options.reports)
    return (report, paths.json, paths.html)
  }

  static func write(_ report: LoadReport, to directory: String) throws -> (json: String, html: String) {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let base = "\(directory)/\(formatter.string(from: report.startedAt))"
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    try encoder.encode(report).write(to: URL(fileURLWithPath: base + ".json"))
    try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: base + ".html"))
    return (base + ".json", base + ".html")
  }
}
