import Foundation

/// A category as stored; the tree is built from `parentID`.
public struct CategoryRecord: Sendable, Equatable {
  public var id: UUID
  public var name: String
  public var slug: String
  public var parentID: UUID?
}
