import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Hashes and checks passwords with bcrypt on the shared thread pool, never on an event loop:
/// one hash at cost 10 is tens of milliseconds of CPU.
public struct PasswordHasher: Sendable {
  public let cost: UInt8

  public init(cost: UInt8 = 10) {
    precondition(cost >= 4 && cost <= 31)
    self.cost = cost
  }

  public func hash(_ password: String) async throws -> String {
    let cost = self.cost
    let input = Self.bcryptInput(password)
    return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
  }

  public func verify(_ password: String, hash: String) async throws -> Bool {
    let input = Self.bcryptInput(password)
    return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
  }

  /// What bcrypt is given: the password itself when it fits the 72 bytes bcrypt reads, its
  /// SHA-256 digest (44 bytes of base64) when it is longer, so that a long password's every
  /// character counts and passwords of up to 72 bytes keep their hashes.
  static func bcryptInput(_ password: String) -> String {
    guard password.utf8.count > 72 else { return password }
    return Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
  }

  /// A hash of a random password, checked against when an email is unknown so that a login
  /// takes as long whether or not the account exists.
  public func decoyHash() async throws -> String {
    try await hash("decoy-\(UInt64.random(in: .min ... .max))")
  }
}
