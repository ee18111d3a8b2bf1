import Metrics

/// The relay's metrics, labelled with the service whose outbox it drains.
struct RelayMetrics: Sendable {
  let backlog: Gauge
  let oldestAge: Gauge
  let publishLatency: Timer
  let confirmed: Counter
  let returned: Counter
  let failures: Counter
  /// Events kept in `shop.unrouted` because no consumer was bound for them.
  let unrouted: Gauge

  init(service: String) {
    let dimensions = [("service", service)]
    backlog = Gauge(label: "outbox_backlog", dimensions: dimensions)
    oldestAge = Gauge(label: "outbox_oldest_unpublished_age_seconds", dimensions: dimensions)
    // From recording the event to the broker's confirm.
    publishLatency = Timer(
      label: "outbox_publish_latency_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    confirmed = Counter(label: "outbox_events_confirmed_total", dimensions: dimensions)
    returned = Counter(label: "outbox_events_returned_total", dimensions: dimensions)
    failures = Counter(label: "outbox_publish_failures_total", dimensions: dimensions)
    unrouted = Gauge(label: "events_unrouted_messages")
  }
}

/// A consumer's metrics, labelled with its queue.
struct ConsumerMetrics: Sendable {
  /// From the event's occurrence to its handler's start.
  let lag: Timer
  /// `event_handler_outcomes_total`, by outcome; dead-lettered events are those of
  /// `dead_lettered` and `malformed`.
  let outcomes: [EventConsumer.Outcome: Counter]

  init(consumer: String) {
    lag = Timer(
      label: "event_consumer_lag_seconds", dimensions: [("consumer", consumer)], preferredDisplayUnit: .seconds)
    outcomes = Dictionary(
      uniqueKeysWithValues: EventConsumer.Outcome.allCases.map { outcome in
        (
          outcome,
          Counter(
            label: "event_handler_outcomes_total", dimensions: [("consumer", consumer), ("outcome", outcome.rawValue)])
        )
      })
  }
}
