import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ShopContracts

/// ``PaymentProvider`` over the payment sandbox's HTTP API. The idempotency key of a call is
/// the order and the step (`order:<id>:charge`, `order:<id>:refund`), so a repetition after a
/// crash or a timeout is answered with the first call's result and moves no money again.
public struct SandboxPayments: PaymentProvider {
  let baseURL: String
  let timeout: Duration
  let http: HTTPClient
  let logger: Logger

  public init(baseURL: String, timeout: Duration, http: HTTPClient = .shared, logger: Logger) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.timeout = timeout
    self.http = http
    self.logger = logger
  }

  static func key(_ orderID: UUID, _ step: String) -> String { "order:\(orderID.lowercased):\(step)" }

  public func charge(orderID: UUID, amount: Money, card: PaymentCard) async -> SagaOutcome {
    struct Body: Encodable {
      struct Card: Encodable {
        var number: String
        var exp_month: Int
        var exp_year: Int
        var cvc: String
      }
      var amount: Int64
      var currency: String
      var reference: String
      var capture = true
      var card: Card
    }
    let body = Body(
      amount: amount.amount, currency: amount.currency, reference: orderID.lowercased,
      card: .init(number: card.number.digits, exp_month: card.expiryMonth, exp_year: card.expiryYear, cvc: card.cvc))
    do {
      let (status, data) = try await send(
        .POST, "/v1/payments", body: try JSONEncoder().encode(body), key: Self.key(orderID, "charge"))
      switch status {
      case 201, 200:
        let payment = try JSONDecoder().decode(ProviderPayment.self, from: data)
        return payment.status == "captured"
          ? .captured(paymentID: payment.id) : .declined(paymentID: payment.id, code: payment.failureCode ?? "")
      case 402:
        let payment = try? JSONDecoder().decode(ProviderPayment.self, from: data)
        return .declined(paymentID: payment?.id, code: payment?.failureCode ?? Self.problemCode(data) ?? "declined")
      case 400..<409, 410..<500:
        return .declined(paymentID: nil, code: Self.problemCode(data) ?? "invalid_request")
      default:
        // 409 (the first attempt with this key still runs) and 5xx: not known yet.
        return .unavailable("the provider answered \(status)")
      }
    } catch {
      return .unavailable("the provider did not answer: \(error)")
    }
  }

  public func payments(orderID: UUID) async throws -> [ProviderPayment] {
    struct Page: Decodable { var items: [ProviderPayment] }
    let (status, data) = try await send(.GET, "/v1/payments?reference=\(orderID.lowercased)", body: nil, key: nil)
    guard status == 200 else { throw OrderError.unavailable("the payment provider") }
    return try JSONDecoder().decode(Page.self, from: data).items
  }

  public func refund(paymentID: String, orderID: UUID) async throws {
    let (status, _) = try await send(
      .POST, "/v1/payments/\(paymentID)/refunds", body: nil, key: Self.key(orderID, "refund"))
    guard (200..<300).contains(status) else { throw OrderError.unavailable("the payment provider (\(status))") }
  }

  public func void(paymentID: String, orderID: UUID) async throws {
    let (status, _) = try await send(.POST, "/v1/payments/\(paymentID)/void", body: nil, key: Self.key(orderID, "void"))
    guard (200..<300).contains(status) else { throw OrderError.unavailable("the payment provider (\(status))") }
  }

  private func send(_ method: HTTPMethod, _ path: String, body: Data?, key: String?) async throws -> (Int, Data) {
    var request = HTTPClientRequest(url: baseURL + path)
    request.method = method
    if let key { request.headers.add(name: "Idempotency-Key", value: key) }
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: body))
    }
    let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), Data(bytes.readableBytesView))
  }

  static func problemCode(_ data: Data) -> String? {
    struct Problem: Decodable { var code: String }
    return (try? JSONDecoder().decode(Problem.self, from: data))?.code
  }
}
