import DequeModule
import Foundation
import Synchronization

/// The generator's heart: sessions arrive at the rate the mode asks for (open loop: an
/// arrival does not wait for earlier sessions to finish), each is given to a free virtual
/// user, and one that finds every user busy waits for the next free one, its wait counted in
/// its first request's latency. Once a second the statistics close a window, which is what
/// `overload` steers by; the administrator, when there is one, fulfils orders every few
/// seconds.
public final class TrafficEngine: Sendable {
  struct State {
    var settings: TrafficSettings
    var modeSince: ContinuousClock.Instant
    /// Moves on every mode change, so that the arrival loop starts the new rate at once.
    var generation = 0
    var overload: OverloadController
    var free: [VirtualUser] = []
    var users = 0
    var waiting: Deque<ContinuousClock.Instant> = []
    var active = 0
    var stopped = false
    var ramp: (start: ContinuousClock.Instant, length: Duration)?
  }

  public let stats: TrafficStats
  let mix: JourneyMix
  let slo: SLO
  /// Arrivals that may wait for a user; more are dropped (and counted).
  let waitingLimit: Int
  let fulfilInterval: Duration
  private let state: Mutex<State>
  static let clock = ContinuousClock()

  public init(
    settings: TrafficSettings, mix: JourneyMix = .shop, slo: SLO = .standard, stats: TrafficStats = TrafficStats(),
    waitingLimit: Int = 10_000, fulfilInterval: Duration = .seconds(2)
  ) {
    self.stats = stats
    self.mix = mix
    self.slo = slo
    self.waitingLimit = waitingLimit
    self.fulfilInterval = fulfilInterval
    state = Mutex(
      State(
        settings: settings, modeSince: Self.clock.now,
        overload: OverloadController(startRate: settings.rate, slo: slo)))
  }

  public var settings: TrafficSettings { state.withLock { $0.settings } }

  /// Applies a mode change at once, or refuses it and changes nothing.
  @discardableResult
  public func change(_ change: ModeChange) throws(TrafficError) -> TrafficSettings {
    try state.withLock { (state: inout State) throws(TrafficError) -> TrafficSettings in
      let next = try state.settings.applying(change)
      state.settings = next
      state.modeSince = Self.clock.now
      state.generation += 1
      if next.mode == .overload { state.overload = OverloadController(startRate: next.rate, slo: slo) }
      if next.mode == .pause { state.waiting.removeAll() }
      return next
    }
  }

  /// The rate rises from nothing to the mode's over `length`, starting now.
  func ramp(over length: Duration) {
    state.withLock { $0.ramp = length > .zero ? (Self.clock.now, length) : nil }
  }

  /// The session rate asked for now.
  public var rate: Double { state.withLock { Self.rate($0, at: Self.clock.now) } }

  static func rate(_ state: State, at now: ContinuousClock.Instant) -> Double {
    let elapsed = (now - state.modeSince) / .seconds(1)
    var rate = ArrivalRate.rate(for: state.settings, elapsed: elapsed, overloadRate: state.overload.rate)
    if let ramp = state.ramp, now - ramp.start < ramp.length {
      rate *= max((now - ramp.start) / ramp.length, 0.01)
    }
    return rate
  }

  public var activeUsers: Int { state.withLock { $0.active } }
  public var users: Int { state.withLock { $0.users } }

  /// Users that may take sessions from now on.
  func add(_ users: [VirtualUser]) {
    state.withLock {
      $0.free += users
      $0.users += users.count
    }
  }

  /// Ends the arrivals; sessions stop before their next request, and `run` returns once the
  /// requests in flight have finished.
  public func stop() {
    state.withLock {
      $0.stopped = true
      $0.settings.mode = .pause
      $0.generation += 1
      $0.waiting.removeAll()
    }
  }

  var proceeds: Bool { state.withLock { !$0.stopped && $0.settings.mode != .pause } }

  /// An arrival due at `intended`: the user who takes it, or nil when it waits (or is dropped).
  func arrived(at intended: ContinuousClock.Instant) -> VirtualUser? {
    let (user, dropped) = state.withLock { state -> (VirtualUser?, Bool) in
      if let user = state.free.popLast() {
        state.active += 1
        return (user, false)
      }
      guard state.waiting.count < waitingLimit else { return (nil, true) }
      state.waiting.append(intended)
      return (nil, false)
    }
    if dropped { stats.sessionDropped() }
    return user
  }

  /// A user's session ended: the next waiting arrival it takes, or nil when it is free again.
  func finished(_ user: VirtualUser) -> ContinuousClock.Instant? {
    state.withLock { state in
      if !state.stopped, state.settings.mode != .pause, let next = state.waiting.popFirst() { return next }
      state.active -= 1
      state.free.append(user)
      return nil
    }
  }

  /// Runs arrivals, the once-a-second window and the administrator until `stop()` (or until
  /// the task is cancelled), then waits for the sessions in flight.
  func run(runner: JourneyRunner, admin: VirtualUser?) async {
    await withDiscardingTaskGroup { group in
      group.addTask { await self.tick() }
      if let admin { group.addTask { await self.fulfil(admin, runner: runner) } }
      // Arrivals are a Poisson process whose rate may change at any moment: each arrival
      // comes when the rate integrated over time since the previous one reaches an
      // exponentially distributed amount, so a new rate takes effect at once.
      var random = SystemRandomNumberGenerator()
      var needed = Self.exponential(mean: 1, using: &random)
      var accumulated = 0.0
      var last = Self.clock.now
      var generation = -1
      while !Task.isCancelled {
        let now = Self.clock.now
        let (rate, current, stopped) = state.withLock { (Self.rate($0, at: now), $0.generation, $0.stopped) }
        if stopped { break }
        if current != generation {
          generation = current
          accumulated = 0
          last = now
        }
        let step = (now - last) / .seconds(1)
        if rate > 0, accumulated + rate * step >= needed {
          // The arrival was due where the integral crossed, within this step.
          let due = last + .seconds((needed - accumulated) / rate)
          accumulated = 0
          last = due
          needed = Self.exponential(mean: 1, using: &random)
          if let user = arrived(at: due) {
            group.addTask { await self.sessions(of: user, from: due, runner: runner) }
          }
          continue
        }
        accumulated += rate * step
        last = now
        // Wake for the next arrival at this rate, and at least every 50 ms for a new one.
        let wait = rate > 0 ? min((needed - accumulated) / rate, 0.05) : 0.02
        try? await Task.sleep(for: .seconds(wait))
      }
      stop()
    }
  }

  /// A user's sessions: the one it was given, then each waiting arrival it takes.
  func sessions(of user: VirtualUser, from due: ContinuousClock.Instant, runner: JourneyRunner) async {
    var next: ContinuousClock.Instant? = due
    var random = SystemRandomNumberGenerator()
    while let arrival = next {
      stats.sessionStarted()
      await runner.run(mix.pick(using: &random), user: user, arrival: arrival)
      next = finished(user)
    }
  }

  func tick() async {
    let start = Self.clock.now
    var deadline = start
    while !Task.isCancelled {
      deadline += .seconds(1)
      try? await Task.sleep(until: deadline, clock: Self.clock)
      let (stopped, active, users, mode, rate) = state.withLock {
        ($0.stopped, $0.active, $0.users, $0.settings.mode, Self.rate($0, at: deadline))
      }
      let window = stats.tick(second: (deadline - start) / .seconds(1), activeUsers: active, rate: rate)
      stats.metrics.tick(mode: mode, rate: rate, activeUsers: active, users: users)
      if stopped { return }
      let abandoned = state.withLock { state -> Int in
        guard state.settings.mode == .overload else { return 0 }
        let limit = state.overload.windowEnded(
          .init(
            requests: window.point.requests, errors: window.point.errors, latency: window.latency,
            sessionsStarted: Double(window.point.sessionsStarted), saturated: !state.waiting.isEmpty))
        // The arrivals the ramp piled up past the limit are not served late; they are dropped.
        guard limit else { return 0 }
        defer { state.waiting.removeAll() }
        return state.waiting.count
      }
      for _ in 0..<abandoned { stats.sessionDropped() }
    }
  }

  func fulfil(_ admin: VirtualUser, runner: JourneyRunner) async {
    var due = Self.clock.now
    while !Task.isCancelled && !state.withLock({ $0.stopped }) {
      due += fulfilInterval
      try? await Task.sleep(until: due, clock: Self.clock)
      guard proceeds else { continue }
      await runner.run(.fulfil, user: admin, arrival: due)
      due = max(due, Self.clock.now - fulfilInterval)
    }
  }

  /// An exponentially distributed interval with the given mean (Poisson arrivals).
  static func exponential(mean: Double, using random: inout some RandomNumberGenerator) -> Double {
    -mean * log(1 - Double.random(in: 0..<1, using: &random))
  }
}
