import Prometheus

extension PrometheusCollectorRegistry {
  /// The content type of the Prometheus text exposition format.
  public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
