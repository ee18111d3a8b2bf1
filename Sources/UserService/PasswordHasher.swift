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
    return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
  }

  public func verify(_ password: String, hash: String) async throws -> Bool {
    try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
  }

  /// A hash of a random password, checked against when an email is unknown so that a login
  /// takes as long whether or not the account exists.
  public func decoyHash() async throws -> String {
    try await hash("decoy-\(UInt64.random(in: .min ... .max))")
  }
}
