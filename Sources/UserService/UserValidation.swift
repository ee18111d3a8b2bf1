import ShopContracts
import ShopRPC

/// Checks of what a client sends; each failure names the field and why. Each rule is the one
/// the OpenAPI document states for the field.
enum UserValidation {
  static let minimumPasswordLength = 8
  static let maximumPasswordLength = 72
  static let name = TextRule(maxLength: 200)

  static func email(_ raw: String) -> [FieldViolation] {
    let email = raw.trimmingWhiteSpace()
    guard email.unicodeScalars.count <= 254 else {
      return [.init(field: "email", reason: "is longer than 254 characters")]
    }
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64,
      !parts[0].unicodeScalars.contains(where: { $0.isWhiteSpace || $0.isControl })
    else {
      return [.init(field: "email", reason: "is not an email address")]
    }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isDomainCharacter) }) else {
      return [.init(field: "email", reason: "is not an email address")]
    }
    return []
  }

  /// Lengths count characters; a password longer than bcrypt reads is hashed whole first (see
  /// `PasswordHasher`), so every character counts.
  static func password(_ password: String) -> [FieldViolation] {
    let length = password.unicodeScalars.count
    if length < minimumPasswordLength {
      return [.init(field: "password", reason: "must be at least \(minimumPasswordLength) characters")]
    }
    if length > maximumPasswordLength {
      return [.init(field: "password", reason: "must be at most \(maximumPasswordLength) characters")]
    }
    if CommonPasswords.contains(password) {
      return [.init(field: "password", reason: "is too common")]
    }
    return []
  }

  static func text(_ value: String, field: String, rule: TextRule) -> [FieldViolation] {
    rule.violation(value).map { [FieldViolation(field: field, reason: $0)] } ?? []
  }

  /// Digits, spaces and `+-().`, with 6 to 15 digits (E.164's most).
  static func phone(_ phone: String) -> [FieldViolation] {
    let scalars = phone.unicodeScalars
    let digits = scalars.filter(\.isASCIIDigit).count
    let allowed = scalars.allSatisfy { $0.isASCIIDigit || " +-().".unicodeScalars.contains($0) }
    guard allowed, (6...15).contains(digits) else {
      return [.init(field: "phone", reason: "must be a phone number of 6 to 15 digits")]
    }
    return []
  }
}

extension Character {
  fileprivate var isDomainCharacter: Bool {
    isASCII && (isLetter || isNumber || self == "-")
  }
}
