import ShopContracts

/// What the sandbox does with a card, as API.md's table of test cards says; any other valid
/// number is approved.
public enum TestCard: Equatable, Sendable {
  case approves
  case declines(code: String)
  /// Answers 500 this many times for one payment, then approves.
  case failsFirst(times: Int)
  /// Approves, after longer than a checkout waits.
  case answersAfter(Duration)

  public init(_ card: CardNumber) {
    switch card.digits {
    case "4000000000000002": self = .declines(code: "card_declined")
    case "4000000000009995": self = .declines(code: "insufficient_funds")
    case "4000000000000119": self = .failsFirst(times: 2)
    case "4000000000003220": self = .answersAfter(.seconds(10))
    default: self = .approves
    }
  }
}
