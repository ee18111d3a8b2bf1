import Metrics

/// The client's counters, shared by every connection in the process.
struct AMQPMetrics: Sendable {
  let published = Counter(label: "amqp_messages_published_total")
  let confirmed = Counter(label: "amqp_messages_confirmed_total")
  let returned = Counter(label: "amqp_messages_returned_total")
  let nacked = Counter(label: "amqp_messages_nacked_total")
  let delivered = Counter(label: "amqp_messages_delivered_total")
  let acked = Counter(label: "amqp_messages_acked_total")
  let recoveries = Counter(label: "amqp_connection_recoveries_total")
}
