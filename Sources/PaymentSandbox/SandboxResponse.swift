import Foundation
import HTTPTypes
import Hummingbird
import ShopIdempotency

/// An answer of the sandbox's API as bytes, so that an idempotent request's repetitions get
/// exactly these.
struct SandboxResponse: Sendable {
  var status: Int
  var contentType: String
  var body: [UInt8]
  var headers: HTTPFields = [:]

  static func payment(_ status: Int, _ payment: Payment) throws -> SandboxResponse {
    SandboxResponse(
      status: status, contentType: "application/json", body: Array(try SandboxJSON.encode(PaymentView(payment))))
  }

  static func json(_ value: some Encodable) throws -> SandboxResponse {
    SandboxResponse(status: 200, contentType: "application/json", body: Array(try SandboxJSON.encode(value)))
  }

  /// An RFC 9457 problem with a stable `code`.
  static func problem(_ status: Int, _ code: String, _ detail: String) -> SandboxResponse {
    struct Problem: Encodable {
      var type: String
      var title: String
      var status: Int
      var detail: String
      var code: String
    }
    let problem = Problem(
      type: "https://swiftshop.dev/problems/\(code.replacingOccurrences(of: "_", with: "-"))",
      title: title(status), status: status, detail: detail, code: code)
    let body = (try? SandboxJSON.encode(problem)).map(Array.init) ?? []
    return SandboxResponse(status: status, contentType: "application/problem+json", body: body)
  }

  private static func title(_ status: Int) -> String {
    switch status {
    case 400: "Bad Request"
    case 402: "Payment Required"
    case 404: "Not Found"
    case 409: "Conflict"
    case 422: "Unprocessable Content"
    default: "Internal Server Error"
    }
  }

  static func failure(_ error: PaymentError) -> SandboxResponse {
    switch error {
    case .invalid(let field, let reason): problem(400, error.code, "\(field) \(reason)")
    case .notFound: problem(404, error.code, "no such payment")
    case .invalidTransition(let from, let action):
      problem(409, error.code, "a \(from.rawValue) payment cannot \(action)")
    case .amountTooLarge(let available): problem(422, error.code, "at most \(available) is left")
    }
  }

  init(status: Int, contentType: String, body: [UInt8], headers: HTTPFields = [:]) {
    self.status = status
    self.contentType = contentType
    self.body = body
    self.headers = headers
  }

  init(_ stored: StoredResponse) {
    self.init(status: stored.status, contentType: stored.contentType, body: stored.body)
  }

  var stored: StoredResponse { StoredResponse(status: status, contentType: contentType, body: body) }

  var response: Response {
    var fields = headers
    fields[.contentType] = contentType
    return Response(
      status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
