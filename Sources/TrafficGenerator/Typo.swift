/// A search term as a hurried customer types it: one letter dropped, doubled or swapped with
/// its neighbour, the mistakes the catalog's search is meant to forgive.
public enum Typo {
  public enum Kind: CaseIterable, Sendable { case drop, double, swap }

  /// `term` with one mistake at `position` (taken modulo the term's length); terms shorter
  /// than four letters are left as they are, since a mistake there changes the word.
  public static func apply(_ kind: Kind, to term: String, at position: Int) -> String {
    var letters = Array(term)
    guard letters.count >= 4 else { return term }
    // The first letter stays: people rarely get it wrong, and the search leans on it.
    let index = 1 + position.magnitude % UInt(letters.count - 2)
    let at = Int(index)
    switch kind {
    case .drop:
      letters.remove(at: at)
    case .double:
      letters.insert(letters[at], at: at)
    case .swap:
      letters.swapAt(at, at + 1)
    }
    return String(letters)
  }

  public static func apply(to term: String, using random: inout some RandomNumberGenerator) -> String {
    apply(Kind.allCases.randomElement(using: &random)!, to: term, at: Int.random(in: 0..<64, using: &random))
  }
}
