import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs to URLs that users gave (webhook endpoints, push endpoints) behind the address
/// guard: the host is resolved and checked before every request, redirects are never
/// followed, each request has a deadline, and at most 64 KiB of a response is read. A plain
/// http request goes to the address that was checked, so that a name resolving elsewhere a
/// moment later cannot redirect it; https keeps the name for the certificate's sake.
public struct OutboundHTTP: Sendable {
  public struct Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    /// The wait `Retry-After` asks for (RFC 9110 §10.2.3): seconds, or an HTTP date.
    public var retryAfter: Duration? { Self.retryAfter(headers.first(name: "retry-after"), now: Date()) }

    static func retryAfter(_ value: String?, now: Date) -> Duration? {
      guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
      if let seconds = Int64(value), seconds >= 0 { return .seconds(seconds) }
      let format = DateFormatter()
      format.locale = Locale(identifier: "en_US_POSIX")
      format.timeZone = TimeZone(identifier: "GMT")
      format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
      guard let date = format.date(from: value) else { return nil }
      return .seconds(max(0, Int64(date.timeIntervalSince(now).rounded(.up))))
    }
  }

  public enum Failure: Error, CustomStringConvertible {
    /// The address guard refused the URL; no request was made.
    case refused(OutboundGuard.Refusal)
    /// No answer: the connection failed or the deadline passed.
    case transport(String)

    public var description: String {
      switch self {
      case .refused(let refusal): "refused by the address guard: \(refusal)"
      case .transport(let reason): reason
      }
    }
  }

  public static let maximumResponseBytes = 64 * 1024

  /// One client for the process, like `HTTPClient.shared` (which follows redirects), so that it
  /// lives as long as the process and is never shut down while a request is in flight.
  static let http: HTTPClient = {
    var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
    configuration.timeout = .init(connect: .seconds(10))
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }()

  let outbound: OutboundGuard
  /// For the whole request, connecting included.
  let timeout: Duration

  public init(outbound: OutboundGuard, timeout: Duration) {
    self.outbound = outbound
    self.timeout = timeout
  }

  public func post(_ url: URL, headers: [(name: String, value: String)], body: Data) async throws(Failure) -> Response {
    let addresses: [IPAddress]
    do {
      addresses = try await outbound.admit(url)
    } catch {
      throw .refused(error)
    }
    var request = HTTPClientRequest(url: Self.pinned(url, to: addresses.first).absoluteString)
    request.method = .POST
    if let host = url.host { request.headers.add(name: "host", value: host + (url.port.map { ":\($0)" } ?? "")) }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(bytes: body))
    do {
      let response = try await Self.http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))))
      var received = ByteBuffer()
      for try await var chunk in response.body {
        let room = Self.maximumResponseBytes - received.readableBytes
        if room <= 0 { break }
        if let slice = chunk.readSlice(length: min(room, chunk.readableBytes)) { received.writeImmutableBuffer(slice) }
      }
      return Response(status: Int(response.status.code), headers: response.headers, body: received)
    } catch {
      throw .transport("\(error)")
    }
  }

  /// `url` with its host replaced by `address` for plain http.
  static func pinned(_ url: URL, to address: IPAddress?) -> URL {
    guard url.scheme?.lowercased() == "http", let address, IPAddress(url.host ?? "") == nil,
      var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
    else { return url }
    if case .v6 = address { components.host = "[\(address)]" } else { components.host = "\(address)" }
    return components.url ?? url
  }
}
