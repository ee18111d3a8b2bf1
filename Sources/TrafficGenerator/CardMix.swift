/// Which payment sandbox card a checkout pays with (API.md's test cards).
public struct CardMix: Sendable, Equatable {
  public enum Card: String, Sendable, CaseIterable {
    case approved = "4242424242424242"
    case declined = "4000000000000002"
    case insufficientFunds = "4000000000009995"
    /// The provider fails twice, then approves.
    case flaky = "4000000000000119"
    /// The provider answers after the checkout stopped waiting: the order is `pending` first.
    case slow = "4000000000003220"

    /// Whether the checkout is expected to be refused with `402 payment_failed`.
    public var declines: Bool { self == .declined || self == .insufficientFunds }
  }

  public let weights: [(Card, Double)]

  /// The approving card and a few declined ones.
  public static let standard = CardMix([(.approved, 94), (.declined, 4), (.insufficientFunds, 2)])
  /// The standard mix with the flaky and slow cards in it.
  public static let faults = CardMix([
    (.approved, 86), (.declined, 4), (.insufficientFunds, 2), (.flaky, 6), (.slow, 2),
  ])

  public init(_ weights: [(Card, Double)]) {
    precondition(weights.contains { $0.1 > 0 } && weights.allSatisfy { $0.1 >= 0 })
    self.weights = weights
  }

  /// The card at `unit` (0 ≤ unit < 1) of the cumulative weights.
  public func pick(_ unit: Double) -> Card {
    var point = unit * weights.reduce(0) { $0 + $1.1 }
    for (card, weight) in weights {
      if point < weight { return card }
      point -= weight
    }
    return weights.last { $0.1 > 0 }!.0
  }

  public static func == (lhs: CardMix, rhs: CardMix) -> Bool {
    lhs.weights.map(\.0) == rhs.weights.map(\.0) && lhs.weights.map(\.1) == rhs.weights.map(\.1)
  }
}
