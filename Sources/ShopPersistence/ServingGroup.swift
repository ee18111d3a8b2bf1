import ServiceLifecycle

/// Several services that start together once their precondition holds (run inside a
/// ``MigratedService``), and stop together.
public struct ServingGroup: Service {
  let services: [any Service]

  public init(services: [any Service]) {
    self.services = services
  }

  public func run() async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for service in services {
        group.addTask { try await service.run() }
      }
      // One ending (or failing) ends the group: a half-running service is not healthy.
      try await group.next()
      group.cancelAll()
    }
  }
}
