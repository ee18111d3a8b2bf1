/// One kind of request in one journey, such as `checkout.order`: what the statistics are
/// kept by.
public struct StepKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var journey: Journey
  public var step: String

  public init(_ journey: Journey, _ step: String) {
    self.journey = journey
    self.step = step
  }

  /// The request that places an order: what the checkout rate counts.
  public static let checkoutOrder = StepKey(.checkout, "order")

  public var description: String { "\(journey.rawValue).\(step)" }

  public static func < (lhs: StepKey, rhs: StepKey) -> Bool {
    (lhs.journey, lhs.step) < (rhs.journey, rhs.step)
  }
}
