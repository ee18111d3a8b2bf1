/// Durations as the command line writes them: `500ms`, `15s`, `2m`, `1h`, or plain seconds.
public enum DurationText {
  public static func parse(_ text: String) throws(TrafficError) -> Duration {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, seconds) in units where text.hasSuffix(suffix) {
      // `ms` ends in `s` too: the longer suffix is tried first.
      if let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite {
        return .milliseconds(value * seconds * 1000)
      }
    }
    if let value = Double(text), value >= 0, value.isFinite { return .milliseconds(value * 1000) }
    throw TrafficError(.invalidDuration, "\(text) is not a duration such as 500ms, 15s, 2m or 1h")
  }
}
