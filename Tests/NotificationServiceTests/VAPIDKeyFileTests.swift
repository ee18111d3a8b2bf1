import Crypto
import Foundation
import Testing

@testable import NotificationService

@Suite struct VAPIDKeyFileTests {
  static func directory() -> String {
    let path = NSTemporaryDirectory() + "vapid-\(UUID().uuidString)"
    return path
  }

  @Test func theKeyIsMadeOnceAndReadAfterwards() throws {
    let path = Self.directory() + "/secrets/vapid.pem"
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let made = try VAPIDKeyFile.loadOrCreate(at: path)
    let read = try VAPIDKeyFile.loadOrCreate(at: path)
    #expect(made.rawRepresentation == read.rawRepresentation)
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func instancesStartingAtOnceShareOneKey() async throws {
    let path = Self.directory() + "/vapid.pem"
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let keys = try await withThrowingTaskGroup(of: Data.self) { group in
      for _ in 0..<8 {
        group.addTask { try VAPIDKeyFile.loadOrCreate(at: path).rawRepresentation }
      }
      return try await group.reduce(into: Set<Data>()) { $0.insert($1) }
    }
    #expect(keys.count == 1)
    let left = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
    #expect(left == ["vapid.pem"])
  }

  @Test func aFileThatIsNoKeyIsAnError() throws {
    let directory = Self.directory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/vapid.pem"
    FileManager.default.createFile(atPath: path, contents: Data("not a key".utf8))
    #expect(throws: VAPIDKeyFile.Failure.self) { try VAPIDKeyFile.loadOrCreate(at: path) }
  }
}
