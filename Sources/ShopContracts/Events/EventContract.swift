/// The data of one event of DESIGN.md §4, shared by its producer and its consumers: its
/// routing key, its payload (snake_case JSON) and the version of that payload's schema.
public protocol EventContract: Codable, Sendable, Equatable {
  /// The routing key on `shop.events` and the envelope's `type`.
  static var type: String { get }
  /// Raised with every change a consumer of the previous version cannot read; a consumer
  /// dead-letters a version it does not know instead of guessing.
  static var schemaVersion: Int { get }
}
