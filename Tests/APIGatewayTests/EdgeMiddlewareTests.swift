import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import APIGateway

@Suite struct EdgeMiddlewareTests {
  static func request(forwardedFor: [String]) -> Request {
    var fields = HTTPFields()
    for value in forwardedFor { fields.append(HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: value)) }
    return Request(
      head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: fields),
      body: RequestBody(buffer: ByteBuffer()))
  }

  /// The proxy appends the address it saw; what comes before is the client's to forge.
  @Test func theClientAddressIsTheOneTheProxyAppended() {
    #expect(EdgeMiddleware.clientAddress(Self.request(forwardedFor: ["198.51.100.9, 203.0.113.7"])) == "203.0.113.7")
    #expect(EdgeMiddleware.clientAddress(Self.request(forwardedFor: ["1.1.1.1", "203.0.113.8"])) == "203.0.113.8")
    #expect(EdgeMiddleware.clientAddress(Self.request(forwardedFor: [])) == nil)
  }
}
