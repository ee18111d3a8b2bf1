extension Duration {
  /// The duration in nanoseconds, for NIO's `TimeAmount`; saturates rather than overflows.
  var wholeNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow else { return seconds < 0 ? .min : .max }
    let (total, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
    return overflowAgain ? (seconds < 0 ? .min : .max) : total
  }
}
