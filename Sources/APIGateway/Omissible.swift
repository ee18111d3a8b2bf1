/// An optional field of a request body: it may be left out, but when it is given it holds a
/// value. No request body of the API takes `null`, so `null` is refused as the wrong type
/// instead of being read as left out.
@propertyWrapper
struct Omissible<Value: Decodable & Sendable>: Decodable, Sendable {
  var wrappedValue: Value?

  init(wrappedValue: Value?) {
    self.wrappedValue = wrappedValue
  }

  init(from decoder: any Decoder) throws {
    wrappedValue = try decoder.singleValueContainer().decode(Value.self)
  }
}

extension KeyedDecodingContainer {
  /// A field left out is nil; only a given one is decoded, and `null` fails as `valueNotFound`.
  func decode<Value>(_ type: Omissible<Value>.Type, forKey key: Key) throws -> Omissible<Value> {
    guard contains(key) else { return Omissible(wrappedValue: nil) }
    return Omissible(wrappedValue: try decode(Value.self, forKey: key))
  }
}
