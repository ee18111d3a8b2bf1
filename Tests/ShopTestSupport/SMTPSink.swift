import Foundation

/// An aiosmtpd sink of `scripts/smtp-sink.py` started for one test, on a free port and with a
/// maildir of its own, with the script's options for a server that misbehaves on purpose.
public final class SMTPSink: Sendable {
  public let port: Int
  public let maildir: URL
  private let process: Process

  private init(options: [String]) throws {
    port = try freeLoopbackPort()
    maildir = FileManager.default.temporaryDirectory.appendingPathComponent("maildir-\(UUID().uuidString)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments =
      [
        Infra.root.appendingPathComponent("scripts/smtp-sink.py").path, "--listen", "127.0.0.1:\(port)",
        "--maildir", maildir.path,
      ] + options
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    self.process = process
  }

  /// Runs `body` with a sink started with `options`, stopped afterwards.
  public static func with<T: Sendable>(_ options: [String] = [], _ body: (SMTPSink) async throws -> T) async throws -> T
  {
    let sink = try SMTPSink(options: options)
    defer { sink.stop() }
    try await waitUntil { Infra.reachable(host: "127.0.0.1", port: sink.port) }
    return try await body(sink)
  }

  /// The messages delivered, as the sink stored them.
  public func messages() throws -> [Data] {
    try Self.messages(in: maildir)
  }

  /// The messages in a maildir's `new` folder.
  public static func messages(in maildir: URL) throws -> [Data] {
    let folder = maildir.appendingPathComponent("new")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return try names.sorted().map { try Data(contentsOf: folder.appendingPathComponent($0)) }
  }

  private func stop() {
    process.terminate()
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: maildir)
  }
}
