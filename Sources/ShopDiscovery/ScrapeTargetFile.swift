import Foundation
import Logging
import ServiceLifecycle

/// Keeps a Prometheus `file_sd` file equal to the registry (`shop discovery targets
/// --follow`): rewritten whole, by rename, each time an instance comes or goes, so that
/// Prometheus never reads half a file; while etcd is away the file stays as it was.
public struct ScrapeTargetFile: Service {
  public let path: String
  let watch: RegistryWatch
  let logger: Logger

  public init(path: String, etcd: String, logger: Logger) {
    self.path = path
    self.watch = RegistryWatch(allRolesAt: etcd, logger: logger)
    self.logger = logger
  }

  public static func write(_ targets: ScrapeTargets, to path: String) throws {
    try targets.encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      await watch.run(view: { ScrapeTargets($0) }) { targets in
        do {
          try Self.write(targets, to: path)
          logger.info(
            "scrape targets written",
            metadata: ["file.path": "\(path)", "targets": "\(targets.groups.flatMap(\.targets))"])
        } catch {
          logger.error("scrape targets not written", metadata: ["file.path": "\(path)", "error.message": "\(error)"])
        }
      }
    }
  }
}
