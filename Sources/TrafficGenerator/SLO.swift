import Foundation

/// A service level objective over every request of a run, such as `p95<500ms,errors<1%`:
/// latency bounds at percentiles (in `ms` or `s`) and an error ratio (in `%`).
public struct SLO: Sendable, Equatable, CustomStringConvertible {
  public struct LatencyBound: Sendable, Equatable {
    /// 0 to 100, as in `p99.9`.
    public var percentile: Double
    public var milliseconds: Double
  }

  public var latency: [LatencyBound]
  /// The highest share of requests that may fail, 0 to 1.
  public var maxErrorRatio: Double?

  public static let standard = try! SLO(parsing: "p95<500ms,errors<1%")

  public init(parsing text: String) throws(TrafficError) {
    latency = []
    maxErrorRatio = nil
    let terms = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !terms.isEmpty, !terms.contains(where: \.isEmpty) else {
      throw TrafficError(.invalidSLO, "an SLO is terms such as p95<500ms,errors<1%")
    }
    for term in terms {
      let parts = term.split(separator: "<", omittingEmptySubsequences: false)
      guard parts.count == 2 else { throw TrafficError(.invalidSLO, "\(term): expected NAME<LIMIT") }
      let (name, limit) = (String(parts[0]), String(parts[1]))
      if name == "errors" {
        guard limit.hasSuffix("%"), let percent = Double(limit.dropLast()), (0...100).contains(percent) else {
          throw TrafficError(.invalidSLO, "\(term): the error limit is a percentage such as 1%")
        }
        maxErrorRatio = percent / 100
      } else if name.hasPrefix("p"), let percentile = Double(name.dropFirst()), percentile > 0, percentile <= 100 {
        latency.append(LatencyBound(percentile: percentile, milliseconds: try Self.milliseconds(limit, term: term)))
      } else {
        throw TrafficError(.invalidSLO, "\(term): expected pNN<TIME or errors<N%")
      }
    }
  }

  private static func milliseconds(_ limit: String, term: String) throws(TrafficError) -> Double {
    let value: Double?
    if limit.hasSuffix("ms") {
      value = Double(limit.dropLast(2))
    } else if limit.hasSuffix("s") {
      value = Double(limit.dropLast()).map { $0 * 1000 }
    } else {
      value = nil
    }
    guard let value, value > 0 else { throw TrafficError(.invalidSLO, "\(term): the time is such as 500ms or 2s") }
    return value
  }

  /// What the measured figures miss, one sentence each; empty when the SLO is met.
  /// - Parameter latency: the latency in milliseconds at a percentile (0 to 100).
  public func violations(latency measured: (Double) -> Double, errorRatio: Double) -> [String] {
    var missed: [String] = []
    for bound in latency {
      let value = measured(bound.percentile)
      if value >= bound.milliseconds {
        missed.append(
          "p\(Self.format(bound.percentile)) is \(Self.format(value)) ms, the SLO is under \(Self.format(bound.milliseconds)) ms"
        )
      }
    }
    if let maxErrorRatio, errorRatio >= maxErrorRatio, errorRatio > 0 {
      missed.append(
        "errors are \(Self.format(errorRatio * 100))%, the SLO is under \(Self.format(maxErrorRatio * 100))%")
    }
    return missed
  }

  public var description: String {
    (latency.map { "p\(Self.format($0.percentile))<\(Self.format($0.milliseconds))ms" }
      + (maxErrorRatio.map { ["errors<\(Self.format($0 * 100))%"] } ?? [])).joined(separator: ",")
  }

  /// Whole numbers without a point, others with at most two decimals and no trailing zero.
  static func format(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    var text = String(format: "%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    return text
  }
}
