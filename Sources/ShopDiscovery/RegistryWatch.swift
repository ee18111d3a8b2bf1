import EtcdClient
import Logging
import Synchronization

/// Follows one role's instances in etcd: a snapshot, then a watch from the revision after
/// it; after any break, a new snapshot once etcd answers again (with backoff), so that what
/// changed meanwhile is not missed. Publishes the serving endpoints whenever they change,
/// and nothing while etcd is away: the last endpoints stay in use.
public final class RegistryWatch: Sendable {
  let role: String
  let etcd: String
  let logger: Logger
  /// `answered`: etcd answered a snapshot since the last break, so the next attempt starts
  /// again without backoff.
  private let state = Mutex<
    (directory: ServiceDirectory, published: [ServiceDirectory.Endpoint]?, answered: Bool)
  >((ServiceDirectory(), nil, false))

  public init(role: String, etcd: String, logger: Logger) {
    self.role = role
    self.etcd = etcd
    self.logger = logger
  }

  /// Runs until cancelled.
  public func run(publish: @escaping @Sendable ([ServiceDirectory.Endpoint]) -> Void) async {
    var delay = Duration.milliseconds(100)
    while !Task.isCancelled {
      do {
        try await EtcdClient.withClient(endpoint: etcd) { client in
          let snapshot = try await client.get(prefix: ServiceRecord.prefix(role: self.role))
          self.update(publish) { $0.replace(with: snapshot) }
          self.state.withLock { $0.answered = true }
          try await client.watch(prefix: ServiceRecord.prefix(role: self.role), fromRevision: snapshot.revision + 1) {
            events in
            self.update(publish) { directory in events.forEach { directory.apply($0) } }
          }
        }
      } catch {
        if Task.isCancelled { return }
        if state.withLock({ state in
          defer { state.answered = false }; return state.answered
        }) {
          delay = .milliseconds(100)
        }
        logger.warning(
          "registry watch broke; keeping the last endpoints",
          metadata: ["service.role": "\(role)", "error.message": "\(error)"])
        try? await Task.sleep(for: delay * Double.random(in: 0.5...1))
        delay = min(delay * 2, .seconds(2))
      }
    }
  }

  private func update(
    _ publish: @Sendable ([ServiceDirectory.Endpoint]) -> Void, _ change: (inout ServiceDirectory) -> Void
  ) {
    let changed: [ServiceDirectory.Endpoint]? = state.withLock { state in
      change(&state.directory)
      let endpoints = state.directory.endpoints
      guard endpoints != state.published else { return nil }
      state.published = endpoints
      return endpoints
    }
    if let changed {
      logger.info(
        "instances changed",
        metadata: ["service.role": "\(role)", "endpoints": "\(changed.map { "\($0.host):\($0.port)" })"])
      publish(changed)
    }
  }
}
