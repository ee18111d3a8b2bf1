import Foundation
import HTTPTypes
import Hummingbird

/// Reads request bodies and writes response bodies as snake_case JSON.
enum JSONIO {
  static func decode<T: Decodable>(_ type: T.Type, from request: Request, maxBytes: Int) async throws -> T {
    let buffer = try await request.body.collect(upTo: maxBytes)
    return try decode(type, from: Data(buffer.readableBytesView))
  }

  static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
    guard !body.isEmpty else {
      throw APIProblem(status: .badRequest, code: "malformed_json", detail: "the request body is empty")
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(T.self, from: body)
  }

  static func response(_ status: HTTPResponse.Status = .ok, _ value: some Encodable) throws -> Response {
    response(status, body: try body(value))
  }

  static func response(_ status: HTTPResponse.Status = .ok, body: ByteBuffer) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
  }

  static func body(_ value: some Encodable) throws -> ByteBuffer {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return ByteBuffer(bytes: try encoder.encode(value))
  }

  static func noContent() -> Response {
    Response(status: .noContent)
  }
}
