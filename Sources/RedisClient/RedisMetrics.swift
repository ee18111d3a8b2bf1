import Metrics

/// The client's metrics: commands by name and outcome with their latency, waits for a pool
/// connection, and reconnects.
struct RedisMetrics: Sendable {
  let poolWaits = Timer(label: "redis_pool_wait_seconds")
  let reconnects = Counter(label: "redis_reconnects_total")

  func command(_ name: String, outcome: String, duration: Duration) {
    Counter(label: "redis_commands_total", dimensions: [("command", name), ("outcome", outcome)]).increment()
    Timer(label: "redis_command_duration_seconds", dimensions: [("command", name)]).recordNanoseconds(
      duration.wholeNanoseconds)
  }

  func poolWait(_ duration: Duration) {
    poolWaits.recordNanoseconds(duration.wholeNanoseconds)
  }

  func reconnect() {
    reconnects.increment()
  }
}
