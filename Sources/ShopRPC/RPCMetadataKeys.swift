/// gRPC metadata keys the services exchange besides the standard ones.
public enum RPCMetadataKeys {
  public static let requestID = "x-request-id"
  /// The end user's access token, `Bearer …`, which the called service verifies itself.
  public static let authorization = "authorization"
  /// The end user's client address, as the edge saw it.
  public static let clientAddress = "shop-client-address"
  /// The stable API error code of a failed call (`email_taken`, `validation_failed`, …).
  public static let errorCode = "shop-error-code"
  /// Seconds a throttled caller should wait, on `resourceExhausted`.
  public static let retryAfter = "shop-retry-after"
  /// JSON detail of a failed call, such as the list of invalid fields.
  public static let errorDetail = "shop-error-detail"
}
