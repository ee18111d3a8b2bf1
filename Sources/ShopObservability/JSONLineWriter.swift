import Logging

/// Builds one flat JSON object; nested metadata becomes nested JSON.
struct JSONLineWriter {
  private var buffer = "{"
  private var first = true

  mutating func field(_ key: String, _ value: String) {
    separator(key)
    Self.appendString(value, to: &buffer)
  }

  mutating func field(_ key: String, _ value: Int) {
    separator(key)
    buffer += String(value)
  }

  mutating func field(_ key: String, _ value: Logger.MetadataValue) {
    separator(key)
    Self.append(value, to: &buffer)
  }

  mutating func finish() -> String {
    buffer += "}"
    return buffer
  }

  private mutating func separator(_ key: String) {
    if !first { buffer += "," }
    first = false
    Self.appendString(key, to: &buffer)
    buffer += ":"
  }

  private static func append(_ value: Logger.MetadataValue, to out: inout String) {
    switch value {
    case .string(let s): appendString(s, to: &out)
    // Integers as JSON numbers, so that the fields ECS types as numbers (a status code, a
    // duration) need no coercion.
    case .stringConvertible(let c) where c is any BinaryInteger: out += c.description
    case .stringConvertible(let c): appendString(c.description, to: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        append(item, to: &out)
      }
      out += "]"
    case .dictionary(let dict):
      out += "{"
      for (i, key) in dict.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        appendString(key, to: &out)
        out += ":"
        append(dict[key]!, to: &out)
      }
      out += "}"
    }
  }

  static func appendString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
