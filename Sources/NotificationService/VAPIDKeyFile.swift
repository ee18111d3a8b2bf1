import Crypto
import Foundation

/// The VAPID key pair (RFC 8292) kept as a PEM file: read when it is there, made on first
/// start when not. Two instances starting at once make one key between them: each writes
/// its own key to a private file and links it into place, which only the first link does;
/// the other reads the winner's.
public enum VAPIDKeyFile {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public static func loadOrCreate(at path: String) throws -> P256.Signing.PrivateKey {
    if let existing = try read(path) { return existing }
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(
      atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let candidate = "\(path).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString.prefix(8))"
    let key = P256.Signing.PrivateKey()
    guard
      FileManager.default.createFile(
        atPath: candidate, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
    else { throw Failure(description: "cannot write a VAPID key beside \(path)") }
    defer { try? FileManager.default.removeItem(atPath: candidate) }
    do {
      try FileManager.default.linkItem(atPath: candidate, toPath: path)
      return key
    } catch {
      // Another instance linked its key first.
      guard let winner = try read(path) else { throw Failure(description: "cannot create \(path): \(error)") }
      return winner
    }
  }

  private static func read(_ path: String) throws -> P256.Signing.PrivateKey? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    do {
      return try P256.Signing.PrivateKey(pemRepresentation: String(decoding: data, as: UTF8.self))
    } catch {
      throw Failure(description: "\(path) is not a P-256 private key in PEM: \(error)")
    }
  }
}
