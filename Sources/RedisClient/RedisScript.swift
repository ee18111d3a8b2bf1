import Crypto
import Foundation

/// A Lua script, identified by the SHA-1 of its source as Redis identifies it.
public struct RedisScript: Sendable, Hashable {
  public let source: String
  public let sha1: String

  public init(_ source: String) {
    self.source = source
    self.sha1 = Insecure.SHA1.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
