/// What a virtual user comes to do in one session. Each is a few requests with think times
/// between them (see `JourneyRunner`); `fulfil` is the administrator's, the others a
/// customer's.
public enum Journey: String, Sendable, CaseIterable, Codable, Comparable {
  /// The category tree, a category's products, a few product pages.
  case browse
  /// Searches, some with a typo, and a result's page.
  case search
  /// Products into the cart, a quantity changed, a line removed.
  case cart
  /// A cart filled and ordered, with a card from the mix.
  case checkout
  /// The customer's orders, the newest one's detail and its live event stream; a delivered
  /// order is completed.
  case follow
  /// The administrator ships paid orders, delivers shipped ones and restocks what ran out.
  case fulfil

  public static func < (lhs: Journey, rhs: Journey) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// How often each customer journey is chosen, like a shop's traffic: mostly looking, some
/// carts, few checkouts.
public struct JourneyMix: Sendable, Equatable {
  public let weights: [(Journey, Double)]

  public static let shop = JourneyMix([
    (.browse, 45), (.search, 25), (.cart, 12), (.checkout, 8), (.follow, 10),
  ])

  public init(_ weights: [(Journey, Double)]) {
    precondition(!weights.isEmpty && weights.allSatisfy { $0.1 >= 0 } && weights.contains { $0.1 > 0 })
    self.weights = weights
  }

  /// The journey at `unit` (0 ≤ unit < 1) of the cumulative weights.
  public func pick(_ unit: Double) -> Journey {
    let total = weights.reduce(0) { $0 + $1.1 }
    var point = unit * total
    for (journey, weight) in weights {
      if point < weight { return journey }
      point -= weight
    }
    return weights.last { $0.1 > 0 }!.0
  }

  public func pick(using random: inout some RandomNumberGenerator) -> Journey {
    pick(Double.random(in: 0..<1, using: &random))
  }

  public static func == (lhs: JourneyMix, rhs: JourneyMix) -> Bool {
    lhs.weights.map(\.0) == rhs.weights.map(\.0) && lhs.weights.map(\.1) == rhs.weights.map(\.1)
  }
}
