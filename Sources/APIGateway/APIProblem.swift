import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: what every error of the public API looks like, with the stable
/// machine-readable `code` of API.md.
public struct APIProblem: Error, Sendable, Equatable {
  public var status: HTTPResponse.Status
  public var code: String
  public var detail: String
  /// Extra members of the problem object, such as the invalid fields.
  public var extensions: [String: ProblemValue] = [:]
  public var headers: HTTPFields = [:]

  public init(status: HTTPResponse.Status, code: String, detail: String, extensions: [String: ProblemValue] = [:]) {
    self.status = status
    self.code = code
    self.detail = detail
    self.extensions = extensions
  }

  public static func validation(_ detail: String, fields: [(field: String, reason: String)] = []) -> APIProblem {
    var problem = APIProblem(status: .badRequest, code: "validation_failed", detail: detail)
    if !fields.isEmpty {
      problem.extensions["errors"] = .array(
        fields.map { .object(["field": .string($0.field), "reason": .string($0.reason)]) })
    }
    return problem
  }

  public static func unauthorized(_ detail: String) -> APIProblem {
    var problem = APIProblem(status: .unauthorized, code: "unauthorized", detail: detail)
    problem.headers[.wwwAuthenticate] = #"Bearer realm="swiftshop""#
    return problem
  }

  /// The route exists but not for this method; `Allow` lists the ones it has.
  static func methodNotAllowed(_ allowed: [String]) -> APIProblem {
    var problem = APIProblem(
      status: .methodNotAllowed, code: "method_not_allowed",
      detail: "this route answers \(allowed.joined(separator: ", ")) only")
    problem.headers[.allow] = allowed.joined(separator: ", ")
    return problem
  }

  public static func forbidden(_ detail: String) -> APIProblem {
    APIProblem(status: .forbidden, code: "forbidden", detail: detail)
  }

  public static func notFound(_ detail: String) -> APIProblem {
    APIProblem(status: .notFound, code: "not_found", detail: detail)
  }

  public static func serviceUnavailable(_ detail: String) -> APIProblem {
    var problem = APIProblem(status: .serviceUnavailable, code: "service_unavailable", detail: detail)
    problem.headers[.retryAfter] = "1"
    return problem
  }

  public static let problemType = "https://swiftshop.dev/problems/"

  /// The `application/problem+json` response, with the request id.
  public func response(requestID: String) -> Response {
    var members: [String: ProblemValue] = extensions
    members["type"] = .string(Self.problemType + code.replacingOccurrences(of: "_", with: "-"))
    members["title"] = .string(status.reasonPhrase)
    members["status"] = .int(status.code)
    members["detail"] = .string(detail)
    members["code"] = .string(code)
    var headers = self.headers
    headers[.contentType] = "application/problem+json"
    headers[.requestID] = requestID
    return Response(
      status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ProblemValue.object(members).json)))
  }
}

/// A JSON value inside a problem object.
public indirect enum ProblemValue: Sendable, Equatable {
  case string(String)
  case int(Int)
  case array([ProblemValue])
  case object([String: ProblemValue])

  var json: String {
    switch self {
    case .string(let s):
      let encoder = JSONEncoder()
      encoder.outputFormatting = .withoutEscapingSlashes
      let data = try! encoder.encode(s)
      return String(decoding: data, as: UTF8.self)
    case .int(let i): return String(i)
    case .array(let items): return "[" + items.map(\.json).joined(separator: ",") + "]"
    case .object(let members):
      return "{"
        + members.keys.sorted().map { ProblemValue.string($0).json + ":" + members[$0]!.json }.joined(separator: ",")
        + "}"
    }
  }
}

extension HTTPField.Name {
  static let requestID = HTTPField.Name("X-Request-Id")!
}
