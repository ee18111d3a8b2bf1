/// The session rate a mode asks for at a moment: what the arrival loop follows.
public enum ArrivalRate {
  /// - Parameters:
  ///   - elapsed: seconds since the mode was set, which places a burst's spikes.
  ///   - overloadRate: the rate the overload controller has reached.
  public static func rate(for settings: TrafficSettings, elapsed: Double, overloadRate: Double) -> Double {
    switch settings.mode {
    case .pause:
      return 0
    case .steady:
      return settings.rate
    case .overload:
      return overloadRate
    case .burst:
      let phase = elapsed.truncatingRemainder(dividingBy: settings.burstInterval)
      return phase < settings.burstSeconds ? settings.rate * settings.burstFactor : settings.rate
    }
  }
}
