import Logging
import ServiceLifecycle
import ShopTestSupport
import Synchronization
import Testing

@testable import ShopServiceHost

@Suite struct PeriodicWorkTests {
  /// A service that repeats its round until its group shuts down; its second round fails.
  final class Repeating: Service, Sendable {
    let rounds = Mutex(0)

    func run() async throws {
      await repeatUntilShutdown(every: .milliseconds(10), logger: Logger(label: "test"), failure: "round failed") {
        let round = rounds.withLock { value -> Int in
          value += 1
          return value
        }
        if round == 2 { throw CancellationError() }
      }
    }

    var count: Int { rounds.withLock { $0 } }
  }

  @Test func aFailedRoundIsFollowedByTheNextAndShutdownEndsTheRepetition() async throws {
    let service = Repeating()
    let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
    try await withDeadline(.seconds(10)) {
      try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await waitUntil { service.count >= 4 }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
      }
    }
    let stopped = service.count
    try await Task.sleep(for: .milliseconds(50))
    #expect(service.count == stopped, "no round after the shutdown")
  }
}
