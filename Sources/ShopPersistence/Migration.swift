import Foundation

/// One numbered schema change of a service's database.
public struct Migration: Sendable, Equatable {
  public let version: Int
  public let name: String
  public let sql: String

  public init(version: Int, name: String, sql: String) {
    self.version = version
    self.name = name
    self.sql = sql
  }

  /// The schema a shared module bundles as `Schema/<name>.sql`, as a migration of a service,
  /// numbered after the service's own.
  public static func bundled(_ name: String, version: Int, in bundle: Bundle) throws -> Migration {
    guard let url = bundle.url(forResource: name, withExtension: "sql", subdirectory: "Schema") else {
      throw PersistenceError(code: .invalidMigration, message: "the \(name) schema is not bundled")
    }
    return Migration(version: version, name: name, sql: try String(contentsOf: url, encoding: .utf8))
  }

  /// Loads `NNNN_name.sql` files from a directory (a module's bundled `Migrations`),
  /// ordered by number. Two files with one number are an error.
  public static func load(from directory: URL) throws -> [Migration] {
    let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
    var migrations: [Migration] = []
    for file in files where file.pathExtension == "sql" {
      let base = file.deletingPathExtension().lastPathComponent
      guard let underscore = base.firstIndex(of: "_"), let version = Int(base[..<underscore]) else {
        throw PersistenceError(
          code: .invalidMigration, message: "migration file \(file.lastPathComponent) is not named NNNN_name.sql")
      }
      let sql = try String(contentsOf: file, encoding: .utf8)
      migrations.append(Migration(version: version, name: String(base[base.index(after: underscore)...]), sql: sql))
    }
    migrations.sort { $0.version < $1.version }
    for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
      throw PersistenceError(code: .invalidMigration, message: "two migrations numbered \(a.version)")
    }
    return migrations
  }
}
