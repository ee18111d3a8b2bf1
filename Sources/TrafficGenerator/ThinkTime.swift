/// How long a customer looks at a page before the next request: uniform between `minimum`
/// and `maximum`.
public struct ThinkTime: Sendable, Equatable {
  public var minimum: Duration
  public var maximum: Duration

  /// Three to ten seconds, as people read a shop's pages (and faster than most do).
  public static let human = ThinkTime(minimum: .seconds(3), maximum: .seconds(10))

  public init(minimum: Duration, maximum: Duration) {
    precondition(minimum >= .zero && maximum >= minimum)
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The times scaled by `factor` (0 makes customers who never pause).
  public func scaled(by factor: Double) -> ThinkTime {
    ThinkTime(minimum: minimum * factor, maximum: maximum * factor)
  }

  public var mean: Duration { (minimum + maximum) / 2 }

  public func sample(using random: inout some RandomNumberGenerator) -> Duration {
    guard maximum > minimum else { return minimum }
    let span = Double((maximum - minimum) / .milliseconds(1))
    return minimum + .milliseconds(Double.random(in: 0...span, using: &random))
  }
}
