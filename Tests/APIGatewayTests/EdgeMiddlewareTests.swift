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

  static let proxies: Set<String> = ["127.0.0.1"]

  /// Behind the proxy the client is the address it appended; what comes before is the
  /// client's to forge.
  @Test func behindATrustedProxyTheClientIsTheOneItAppended() {
    func address(_ header: [String]) -> String? {
      EdgeMiddleware.clientAddress(Self.request(forwardedFor: header), peer: "127.0.0.1", trustedProxies: Self.proxies)
    }
    #expect(address(["198.51.100.9, 203.0.113.7"]) == "203.0.113.7")
    #expect(address(["1.1.1.1", "203.0.113.8"]) == "203.0.113.8")
    #expect(address([]) == "127.0.0.1")
  }

  /// A client that reaches the gateway directly cannot choose its address with the header.
  @Test func fromAnyOtherPeerTheClientIsThePeer() {
    let forged = Self.request(forwardedFor: ["203.0.113.99"])
    #expect(EdgeMiddleware.clientAddress(forged, peer: "198.51.100.1", trustedProxies: Self.proxies) == "198.51.100.1")
    #expect(EdgeMiddleware.clientAddress(forged, peer: nil, trustedProxies: Self.proxies) == nil)
  }
}
