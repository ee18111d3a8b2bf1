import Configuration

/// What `shop serve product` reads besides the keys every service reads
/// (`ServiceHostConfiguration`), with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `reservations.sweepIntervalSeconds` | `5` | how often expired reservations are released |
/// | `search.typoThreshold` | `0.3` | trigram similarity a catalog word needs to replace a misspelt query word |
public struct ProductServiceConfiguration: Sendable {
  public var sweepInterval: Duration
  public var typoThreshold: Double

  public init(config: ConfigReader) {
    sweepInterval = .seconds(config.int(forKey: "reservations.sweepIntervalSeconds", default: 5))
    typoThreshold = config.double(forKey: "search.typoThreshold", default: 0.3)
  }
}
