import ShopContracts

/// Checks of what a client sends; each failure names the field and why.
enum UserValidation {
  static let minimumPasswordLength = 8
  static let maximumPasswordLength = 72  // bcrypt ignores what follows the 72nd byte

  static func email(_ raw: String) -> [FieldViolation] {
    let email = raw.trimmingSpaces()
    guard email.utf8.count <= 254 else { return [.init(field: "email", reason: "is longer than 254 characters")] }
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else {
      return [.init(field: "email", reason: "is not an email address")]
    }
    let domain = parts[1]
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isDomainCharacter) }),
      !email.contains(where: { $0.isWhitespace })
    else {
      return [.init(field: "email", reason: "is not an email address")]
    }
    return []
  }

  static func password(_ password: String) -> [FieldViolation] {
    if password.count < minimumPasswordLength {
      return [.init(field: "password", reason: "must be at least \(minimumPasswordLength) characters")]
    }
    if password.utf8.count > maximumPasswordLength {
      return [.init(field: "password", reason: "must be at most \(maximumPasswordLength) bytes")]
    }
    if CommonPasswords.contains(password) {
      return [.init(field: "password", reason: "is too common")]
    }
    return []
  }

  static func name(_ name: String) -> [FieldViolation] {
    let trimmed = name.trimmingSpaces()
    if trimmed.isEmpty { return [.init(field: "name", reason: "must not be empty")] }
    if trimmed.count > 200 { return [.init(field: "name", reason: "must be at most 200 characters")] }
    return controlCharacters(trimmed, field: "name")
  }

  /// Text may hold no control characters: PostgreSQL cannot store NUL, and none belongs in a
  /// name or an address.
  static func controlCharacters(_ value: String, field: String) -> [FieldViolation] {
    value.containsControlCharacters() ? [.init(field: field, reason: "must not contain control characters")] : []
  }

  static func phone(_ phone: String) -> [FieldViolation] {
    let digits = phone.filter(\.isNumber)
    let allowed = phone.allSatisfy { $0.isNumber || " +-().".contains($0) }
    guard allowed, (6...15).contains(digits.count) else {
      return [.init(field: "phone", reason: "must be a phone number of 6 to 15 digits")]
    }
    return []
  }

  static func required(_ value: String, field: String, maxLength: Int = 200) -> [FieldViolation] {
    let trimmed = value.trimmingSpaces()
    if trimmed.isEmpty { return [.init(field: field, reason: "is required")] }
    if trimmed.count > maxLength { return [.init(field: field, reason: "must be at most \(maxLength) characters")] }
    return controlCharacters(trimmed, field: field)
  }

  static func country(_ value: String) -> [FieldViolation] {
    let trimmed = value.trimmingSpaces()
    guard trimmed.count == 2, trimmed.allSatisfy({ $0.isASCII && $0.isLetter }) else {
      return [.init(field: "country", reason: "must be an ISO 3166-1 alpha-2 code")]
    }
    return []
  }
}

extension Character {
  fileprivate var isDomainCharacter: Bool {
    isASCII && (isLetter || isNumber || self == "-")
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
