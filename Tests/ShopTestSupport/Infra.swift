import Foundation

/// Where the integration tests find the real servers, and whether a missing one is a failure
/// (`SHOP_REQUIRE_INFRA=1`, set by `make test` and CI) or a reason to skip.
public enum Infra {
  public static var required: Bool {
    ProcessInfo.processInfo.environment["SHOP_REQUIRE_INFRA"] == "1"
  }

  public static var postgresHost: String { env("SHOP_TEST_POSTGRES_HOST", "127.0.0.1") }
  public static var postgresPort: Int { Int(env("SHOP_TEST_POSTGRES_PORT", "5432")) ?? 5432 }

  /// True when PostgreSQL accepts TCP connections, or when its absence must fail the run:
  /// use as `.enabled(if: Infra.postgres)`.
  public static var postgres: Bool {
    required || reachable(host: postgresHost, port: postgresPort)
  }

  static func env(_ name: String, _ fallback: String) -> String {
    ProcessInfo.processInfo.environment[name] ?? fallback
  }

  /// Whether something accepts TCP connections at host:port.
  public static func reachable(host: String, port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

extension Infra {
  public static var redisHost: String { env("SHOP_TEST_REDIS_HOST", "127.0.0.1") }
  public static var redisPort: Int { Int(env("SHOP_TEST_REDIS_PORT", "6379")) ?? 6379 }

  /// True when Redis accepts TCP connections, or when its absence must fail the run.
  public static var redis: Bool {
    required || reachable(host: redisHost, port: redisPort)
  }

  /// Runs one of the stack's scripts (`scripts/ctl stop redis`), for tests that stop and
  /// start a server; returns its exit status and output.
  @discardableResult
  public static func script(_ name: String, _ arguments: String...) async throws -> (status: Int32, output: String) {
    try await run(scriptURL(name), arguments)
  }

  /// One of the stack's scripts.
  static func scriptURL(_ name: String) -> URL {
    root.appendingPathComponent("scripts").appendingPathComponent(name)
  }

  /// The checkout the tests run from.
  public static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Runs a program with `make test`'s Python virtualenv (`.venv`, which has the packages of
  /// `e2e/requirements.txt`), returning its exit status and output.
  public static func python(_ script: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    try await run(
      root.appendingPathComponent(".venv/bin/python"), [root.appendingPathComponent(script).path] + arguments)
  }

  /// Runs a command-line tool found on the PATH (`redis-cli`), returning its standard output.
  public static func tool(_ name: String, _ arguments: [String]) async throws -> String {
    try await run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, errors: false).output
  }

  /// Runs a program, returning its exit status and its standard output (and error, unless
  /// `errors` is false) together. The output goes to a file of its own, read once the program
  /// has ended.
  public static func run(_ executable: URL, _ arguments: [String], errors: Bool = true) async throws -> (
    status: Int32, output: String
  ) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("infra-\(UUID().uuidString).out")
    guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
    }
    defer { try? FileManager.default.removeItem(at: file) }
    let output = try FileHandle(forWritingTo: file)
    defer { try? output.close() }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = errors ? output : FileHandle.nullDevice
    let status = try await exitStatus(of: process)
    return (status, String(decoding: try Data(contentsOf: file), as: UTF8.self))
  }

  /// Starts `process` and waits for its end without holding a thread: every test shares one
  /// cooperative pool, as wide as the machine has cores (two here), and a test blocked on a
  /// child process would stall every other test meanwhile, failing those that time something.
  static func exitStatus(of process: Process) async throws -> Int32 {
    try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
      }
    }
  }
}

extension Infra {
  /// The local stack's RabbitMQ, as an `amqp://` URL.
  public static var amqpURL: String { env("SHOP_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/") }

  /// True when RabbitMQ accepts TCP connections, or when its absence must fail the run.
  public static var rabbitmq: Bool {
    required || reachable(host: env("SHOP_TEST_AMQP_HOST", "127.0.0.1"), port: 5672)
  }

  /// The local stack's RabbitMQ TLS listener, as an `amqps://` URL.
  public static var amqpsURL: String { env("SHOP_TEST_AMQPS_URL", "amqps://guest:guest@localhost:5671/") }

  /// The CA that signed the TLS listener's certificate (made by `scripts/stack.sh`).
  public static var amqpsCAFile: String {
    env("SHOP_TEST_AMQPS_CA_FILE", root.appendingPathComponent(".run/secrets/amqp-tls/ca.pem").path)
  }
}

extension Infra {
  /// The local stack's mail sink (program `smtp`).
  public static var smtpPort: Int { Int(env("SHOP_TEST_SMTP_PORT", "1025")) ?? 1025 }

  /// The maildir the stack's sink delivers into.
  public static var maildir: URL {
    URL(fileURLWithPath: env("SHOP_TEST_MAILDIR", root.appendingPathComponent(".run/mail").path))
  }

  /// True when the stack's mail sink accepts connections, or when its absence must fail the run.
  public static var smtp: Bool {
    required || reachable(host: "127.0.0.1", port: smtpPort)
  }

  /// The stack's CA and the certificate it issued for localhost (made by `scripts/stack.sh`),
  /// for servers a test starts with TLS.
  public static var stackTLS: (ca: String, certificate: String, key: String) {
    let directory = root.appendingPathComponent(".run/secrets/amqp-tls")
    return (
      directory.appendingPathComponent("ca.pem").path, directory.appendingPathComponent("server.pem").path,
      directory.appendingPathComponent("server-key.pem").path
    )
  }
}

extension Infra {
  /// The stack's etcd, `host:port`.
  public static var etcdEndpoint: String { env("SHOP_TEST_ETCD", "127.0.0.1:2379") }

  /// True when etcd accepts TCP connections, or when its absence must fail the run.
  public static var etcd: Bool {
    let parts = etcdEndpoint.split(separator: ":")
    return required || reachable(host: String(parts[0]), port: Int(parts[1]) ?? 2379)
  }
}
