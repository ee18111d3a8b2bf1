import Foundation
import Logging
import PostgresNIO
import ShopTestSupport
import Testing

@testable import ShopPersistence

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct MigratorTests {
  let migrations = [
    Migration(version: 1, name: "items", sql: "CREATE TABLE items (id int PRIMARY KEY);"),
    Migration(
      version: 2, name: "names", sql: "ALTER TABLE items ADD COLUMN name text; CREATE INDEX items_name ON items (name);"
    ),
  ]
  let logger = Logger(label: "test")

  @Test func appliesEachMigrationOnceAndRecordsIt() async throws {
    try await TestDatabase.with { client, _ in
      let migrator = Migrator(service: "test", migrations: migrations)
      #expect(try await migrator.migrate(client: client, logger: logger) == [1, 2])
      #expect(try await migrator.migrate(client: client, logger: logger) == [])
      var versions: [Int] = []
      for try await v in try await client.query("SELECT version FROM schema_migrations ORDER BY version").decode(
        Int.self)
      {
        versions.append(v)
      }
      #expect(versions == [1, 2])
      try await client.query("INSERT INTO items (id, name) VALUES (1, 'a')")
    }
  }

  @Test func concurrentInstancesApplyEachMigrationOnce() async throws {
    try await TestDatabase.with { client, _ in
      let migrator = Migrator(service: "test", migrations: migrations)
      let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
        for _ in 0..<4 { group.addTask { try await migrator.migrate(client: client, logger: logger) } }
        var all: [Int] = []
        for try await versions in group { all += versions }
        return all
      }
      #expect(applied.sorted() == [1, 2])
    }
  }

  @Test func aFailingMigrationLeavesNoTrace() async throws {
    try await TestDatabase.with { client, _ in
      let broken = Migrator(
        service: "test",
        migrations: [Migration(version: 1, name: "broken", sql: "CREATE TABLE ok (x int); CREATE TABLE ok (x int);")])
      let error = await #expect(throws: PersistenceError.self) {
        try await broken.migrate(client: client, logger: logger)
      }
      #expect(error?.code == .migrationFailed)
      var tables = 0
      for try await _ in try await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'ok'") { tables += 1 }
      #expect(tables == 0)
    }
  }

  @Test func loadsNumberedFilesInOrderAndRefusesDuplicates() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "SELECT 2;".write(to: dir.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
    try "SELECT 1;".write(to: dir.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
    #expect(try Migration.load(from: dir).map(\.name) == ["first", "second"])
    try "SELECT 3;".write(to: dir.appendingPathComponent("0002_again.sql"), atomically: true, encoding: .utf8)
    #expect(throws: PersistenceError.self) { try Migration.load(from: dir) }
  }
}
