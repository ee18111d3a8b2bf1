import EtcdClient
import Logging
import Synchronization

/// Follows the instances under a prefix of the registry (one role's, or every role's): a
/// snapshot, then a watch from the revision after it; after any break, a new snapshot once
/// etcd answers again (with backoff), so that what changed meanwhile is not missed.
/// Publishes a view of the instances whenever it changes, and nothing while etcd is away:
/// the last view stays in use.
public final class RegistryWatch: Sendable {
  let prefix: String
  /// What the logs call the watched instances: the role, or `*` for all of them.
  let scope: String
  let etcd: String
  let logger: Logger
  /// `answered`: etcd answered a snapshot since the last break, so the next attempt starts
  /// again without backoff.
  private let state = Mutex<(directory: ServiceDirectory, answered: Bool)>((ServiceDirectory(), false))

  /// The instances of `role`.
  public init(role: String, etcd: String, logger: Logger) {
    self.prefix = ServiceRecord.prefix(role: role)
    self.scope = role
    self.etcd = etcd
    self.logger = logger
  }

  /// Every registered instance, of every role.
  public init(allRolesAt etcd: String, logger: Logger) {
    self.prefix = ServiceRecord.root
    self.scope = "*"
    self.etcd = etcd
    self.logger = logger
  }

  /// Publishes the serving endpoints; runs until cancelled.
  public func run(publish: @escaping @Sendable ([ServiceDirectory.Endpoint]) -> Void) async {
    await run(view: \.endpoints) { [logger, scope] endpoints in
      logger.info(
        "instances changed",
        metadata: ["service.role": "\(scope)", "endpoints": "\(endpoints.map { "\($0.host):\($0.port)" })"])
      publish(endpoints)
    }
  }

  /// Publishes `view` of the instances each time it differs from the last one published;
  /// runs until cancelled.
  public func run<View: Equatable & Sendable>(
    view: @escaping @Sendable (ServiceDirectory) -> View, publish: @escaping @Sendable (View) -> Void
  ) async {
    let published = LastPublished<View>()
    let update: @Sendable ((inout ServiceDirectory) -> Void) -> Void = { change in
      let current = self.state.withLock { state in
        change(&state.directory)
        return view(state.directory)
      }
      if published.replace(with: current) { publish(current) }
    }
    var delay = Duration.milliseconds(100)
    while !Task.isCancelled {
      do {
        try await EtcdClient.withClient(endpoint: etcd) { client in
          let snapshot = try await client.get(prefix: self.prefix)
          update { $0.replace(with: snapshot) }
          self.state.withLock { $0.answered = true }
          try await client.watch(prefix: self.prefix, fromRevision: snapshot.revision + 1) { events in
            update { directory in events.forEach { directory.apply($0) } }
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
          "registry watch broke; keeping the last view of the instances",
          metadata: ["service.role": "\(scope)", "error.message": "\(error)"])
        try? await Task.sleep(for: delay * Double.random(in: 0.5...1))
        delay = min(delay * 2, .seconds(2))
      }
    }
  }
}

/// The view a watch published last.
private final class LastPublished<View: Equatable & Sendable>: Sendable {
  private let last = Mutex<View?>(nil)

  /// Keeps `view`; whether it differs from the one kept before.
  func replace(with view: View) -> Bool {
    last.withLock { last in
      guard view != last else { return false }
      last = view
      return true
    }
  }
}
