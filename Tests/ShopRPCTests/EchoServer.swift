import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// A gRPC server on a loopback port whose one method answers with the server's
/// name, so that a test sees which instance a call reached.
struct EchoServer: Sendable {
  static let method = MethodDescriptor(fullyQualifiedService: "test.Echo", method: "Name")

  let name: String
  let server: GRPCServer<HTTP2ServerTransport.Posix>

  /// - Parameter port: 0 for any free one.
  init(name: String, port: Int = 0) {
    self.name = name
    server = GRPCServer(
      transport: HTTP2ServerTransport.Posix(
        address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
      services: [EchoService(name: name)])
  }

  var port: Int {
    get async throws { try await server.listeningAddress?.ipv4?.port ?? 0 }
  }

  /// Which server the call reached.
  static func call(_ client: GRPCClient<some ClientTransport>) async throws -> String {
    var options = CallOptions.defaults
    options.timeout = .seconds(2)
    return try await client.unary(
      request: ClientRequest(message: []), descriptor: method, serializer: Bytes(), deserializer: Bytes(),
      options: options
    ) { String(decoding: try $0.message, as: UTF8.self) }
  }
}

private struct EchoService: RegistrableRPCService {
  let name: String

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let name = Array(self.name.utf8)
    router.registerHandler(forMethod: EchoServer.method, deserializer: Bytes(), serializer: Bytes()) { _, _ in
      StreamingServerResponse(single: ServerResponse(message: name))
    }
  }
}

private struct Bytes: MessageSerializer, MessageDeserializer {
  func serialize<Output: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Output { Output(message) }
  func deserialize<Input: GRPCContiguousBytes>(_ bytes: Input) throws -> [UInt8] {
    bytes.withUnsafeBytes { Array($0) }
  }
}
