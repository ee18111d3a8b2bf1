/// The response a request with an idempotency key finished with, kept to answer its
/// repetitions byte for byte.
public struct StoredResponse: Sendable, Equatable {
  public var status: Int
  public var contentType: String
  public var body: [UInt8]

  public init(status: Int, contentType: String, body: [UInt8]) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }
}
