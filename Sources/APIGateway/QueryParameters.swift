import Hummingbird

/// Reading query parameters the one way every route does: a parameter is either left out or
/// has a value of its type; anything else is `400`.
enum QueryParameters {
  /// `?limit=` of a list: 1 to 100, or nil when absent.
  static func limit(_ query: Parameters) throws -> Int32? {
    guard let limit = try integer(query["limit"], "limit") else { return nil }
    guard (1...100).contains(limit) else {
      throw APIProblem.validation("limit must be between 1 and 100", fields: [("limit", "must be between 1 and 100")])
    }
    return Int32(limit)
  }

  /// A parameter that is either left out or has a value: `?category=` names no category.
  static func given(_ value: Substring?, _ name: String) throws -> String? {
    guard let value else { return nil }
    guard !value.isEmpty else {
      throw APIProblem.validation("\(name) must not be empty", fields: [(name, "must not be empty")])
    }
    return String(value)
  }

  static func integer(_ value: Substring?, _ name: String) throws -> Int64? {
    guard let value else { return nil }
    guard let number = Int64(value) else {
      throw APIProblem.validation("\(name) must be an integer", fields: [(name, "must be an integer")])
    }
    return number
  }

  static func boolean(_ value: Substring?, _ name: String) throws -> Bool {
    switch value {
    case nil, "false": return false
    case "true": return true
    default: throw APIProblem.validation("\(name) must be true or false", fields: [(name, "must be true or false")])
    }
  }
}
