import Foundation

/// pgbench replaying, in each database at once, the SQL one checkout issues there: the rate
/// the slowest database sustains is the ceiling for checkouts on this machine.
struct Pgbench {
  let scripts: String
  let product: String
  let clients: Int
  static let databases = ["orders", "products", "payments"]

  struct Result {
    var perDatabase: [String: Double]
    var ceiling: Double { perDatabase.values.min() ?? 0 }
  }

  func run(seconds: Int) throws -> Result {
    let binary = try Self.binary()
    let processes = try Self.databases.map { database -> (String, Process, Pipe) in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: binary)
      process.arguments = [
        "-h", "127.0.0.1", "-p", "5432", "-U", "shop", "-n", "-c", "\(clients)", "-j", "2", "-T", "\(seconds)",
        "-D", "product=\(product)", "-f", "\(scripts)/\(database).sql", database,
      ]
      var environment = ProcessInfo.processInfo.environment
      environment["PGPASSWORD"] = environment["PGPASSWORD"] ?? "shop"
      process.environment = environment
      let output = Pipe()
      process.standardOutput = output
      process.standardError = output
      try process.run()
      return (database, process, output)
    }
    var rates: [String: Double] = [:]
    for (database, process, output) in processes {
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      guard process.terminationStatus == 0, let tps = Self.tps(in: text) else {
        throw API.Failure(description: "pgbench on \(database) failed:\n\(text)")
      }
      rates[database] = tps
    }
    try cleanUp(binary: binary)
    return Result(perDatabase: rates)
  }

  /// The benchmark's own rows go. The bench product keeps its committed reservations, like
  /// any product that sold.
  func cleanUp(binary: String) throws {
    let psql = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("psql").path
    let statements = [
      "orders": """
      DELETE FROM order_status_history WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
      DELETE FROM order_lines WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
      DELETE FROM saga_credentials WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
      DELETE FROM outbox WHERE aggregate_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
      DELETE FROM orders WHERE lease_owner = 'pgbench';
      DELETE FROM idempotency_keys WHERE scope = 'pgbench';
      """,
      "payments": """
      DELETE FROM webhook_outbox WHERE webhook_id IN (SELECT key FROM idempotency_keys WHERE scope = 'pgbench');
      DELETE FROM payments WHERE reference = 'pgbench';
      DELETE FROM idempotency_keys WHERE scope = 'pgbench';
      """,
    ]
    for (database, sql) in statements {
      let process = Process()
      process.executableURL = URL(
        fileURLWithPath: FileManager.default.fileExists(atPath: psql) ? psql : "/usr/bin/psql")
      process.arguments = ["-h", "127.0.0.1", "-U", "shop", "-q", "-c", sql, database]
      var environment = ProcessInfo.processInfo.environment
      environment["PGPASSWORD"] = environment["PGPASSWORD"] ?? "shop"
      process.environment = environment
      try process.run()
      process.waitUntilExit()
    }
  }

  static func binary() throws -> String {
    let candidates =
      ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
      .map { "/usr/lib/postgresql/\($0)/bin/pgbench" } + ["/usr/bin/pgbench"]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
      throw API.Failure(description: "pgbench is not installed (Debian: postgresql-contrib or postgresql-15)")
    }
    return found
  }

  /// `tps = 123.4 (without initial connection time)`.
  static func tps(in output: String) -> Double? {
    for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
      return Double(line.dropFirst(6).prefix { $0 == "." || $0.isNumber })
    }
    return nil
  }
}
