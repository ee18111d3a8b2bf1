/// A payment card number as a client types it: 12 to 19 digits that pass the Luhn check,
/// spaces and dashes between groups allowed. Only its brand and last four digits may be kept
/// or shown; the number itself never leaves the request that carried it.
public struct CardNumber: Sendable, Equatable {
  public enum Brand: String, Sendable {
    case visa, mastercard, amex, discover, unknown
  }

  /// The digits alone.
  public let digits: String

  /// nil when `text` is not a card number: other characters, a wrong length or a failed
  /// Luhn check.
  public init?(_ text: String) {
    var digits = ""
    for scalar in text.unicodeScalars {
      if scalar.isASCIIDigit {
        digits.unicodeScalars.append(scalar)
      } else if scalar != " " && scalar != "-" {
        return nil
      }
    }
    guard (12...19).contains(digits.count), Self.passesLuhn(digits) else { return nil }
    self.digits = digits
  }

  public var lastFour: String { String(digits.suffix(4)) }

  public var brand: Brand {
    let two = Int(digits.prefix(2)) ?? 0
    let four = Int(digits.prefix(4)) ?? 0
    switch true {
    case digits.hasPrefix("4"): return .visa
    case (51...55).contains(two), (2221...2720).contains(four): return .mastercard
    case two == 34 || two == 37: return .amex
    case digits.hasPrefix("6011") || two == 65: return .discover
    default: return .unknown
    }
  }

  /// From the right, every second digit is doubled (less 9 past 9); the sum ends in 0.
  static func passesLuhn(_ digits: String) -> Bool {
    var sum = 0
    for (index, character) in digits.reversed().enumerated() {
      var digit = Int(String(character))!
      if index % 2 == 1 {
        digit *= 2
        if digit > 9 { digit -= 9 }
      }
      sum += digit
    }
    return sum % 10 == 0
  }
}

extension CardNumber: CustomStringConvertible {
  /// The brand and last four only, so that printing a card cannot leak its number.
  public var description: String { "\(brand.rawValue) •••• \(lastFour)" }
}
