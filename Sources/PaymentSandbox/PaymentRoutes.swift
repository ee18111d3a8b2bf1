import Foundation
import HTTPTypes
import Hummingbird
import ShopIdempotency

/// The sandbox's HTTP API, like a card processor's test mode. Every POST honours
/// `Idempotency-Key`: the same key and request answer the stored response and charge
/// nothing again, another request with the key is `422`, one while the first still runs is
/// `409`; a `5xx` keeps nothing, so that a retry runs afresh.
struct PaymentRoutes: Sendable {
  let store: PostgresPaymentStore
  let keys: PostgresIdempotencyStore
  let fingerprintKey: Data
  let slowCardDelay: Duration

  /// One merchant, the shop: every key shares one scope.
  static let scope = "merchant"
  static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

  func register(on router: Router<BasicRequestContext>) {
    let payments = router.group("v1/payments")
    payments.post { request, _ in try await idempotent(request) { try await create($0, key: $1) } }
    payments.get { request, _ in try await list(request).response }
    payments.get(":id") { _, context in try await read(context.parameters.get("id")).response }
    payments.post(":id/capture") { request, context in
      try await idempotent(request) { body, _ in
        try await change(context.parameters.get("id"), event: "payment.captured") {
          try $0.capturing(try Self.amount(in: body), at: $1)
        }
      }
    }
    payments.post(":id/void") { request, context in
      try await idempotent(request) { _, _ in
        try await change(context.parameters.get("id"), event: "payment.voided") { try $0.voiding(at: $1) }
      }
    }
    payments.post(":id/refunds") { request, context in
      try await idempotent(request) { body, _ in
        try await change(context.parameters.get("id"), event: "payment.refunded") {
          try $0.refunding(try Self.amount(in: body), at: $1)
        }
      }
    }
  }

  struct CreateBody: Decodable {
    struct Card: Decodable {
      var number: String
      var expMonth: Int
      var expYear: Int
      var cvc: String
    }
    var amount: Int64
    var currency: String
    var reference: String
    var capture: Bool?
    var card: Card
  }

  func create(_ body: Data, key: IdempotencyKey?) async throws -> SandboxResponse {
    let request: CreateBody
    do {
      request = try SandboxJSON.decode(CreateBody.self, from: body)
    } catch {
      return .problem(400, "validation_failed", "the body is not a payment request: \(error)")
    }
    let now = Date()
    do {
      let card = try CardDetails(
        number: request.card.number, expiryMonth: request.card.expMonth, expiryYear: request.card.expYear,
        cvc: request.card.cvc, now: now)
      var decline: String?
      switch TestCard(card.number) {
      case .approves: break
      case .declines(let code): decline = code
      case .failsFirst(let times):
        let attempts = try await store.countFlakyAttempt(
          key: key.map { "key:\($0.value)" } ?? "ref:\(request.reference)")
        if attempts <= times { return .problem(500, "processing_error", "the processor failed; try again") }
      case .answersAfter:
        try await Task.sleep(for: slowCardDelay)
      }
      let payment = try Payment(
        reference: request.reference, amount: request.amount, currency: request.currency,
        card: card.summary(fingerprintKey: fingerprintKey), declineCode: decline, capture: request.capture ?? true,
        at: now)
      try await store.insert(payment, event: "payment.\(payment.status.rawValue)", at: now)
      return try .payment(payment.status == .failed ? 402 : 201, payment)
    } catch let error as PaymentError {
      return .failure(error)
    }
  }

  func read(_ id: String?) async throws -> SandboxResponse {
    guard let id = id.flatMap(UUID.init(uuidString:)), let payment = try await store.payment(id: id) else {
      return .failure(.notFound)
    }
    return try .payment(200, payment)
  }

  func list(_ request: Request) async throws -> SandboxResponse {
    guard let reference = request.uri.queryParameters["reference"], !reference.isEmpty else {
      return .problem(400, "validation_failed", "reference is required")
    }
    struct Page: Encodable { var items: [PaymentView] }
    return try .json(Page(items: try await store.payments(reference: String(reference)).map(PaymentView.init)))
  }

  func change(
    _ id: String?, event: String, _ transition: @escaping @Sendable (Payment, Date) throws -> Payment
  ) async throws -> SandboxResponse {
    guard let id = id.flatMap(UUID.init(uuidString:)) else { return .failure(.notFound) }
    let now = Date()
    do {
      guard let payment = try await store.update(id: id, event: event, at: now, { try transition($0, now) }) else {
        return .failure(.notFound)
      }
      return try .payment(200, payment)
    } catch let error as PaymentError {
      return .failure(error)
    }
  }

  /// `{"amount": n}` or an empty body: the whole amount.
  static func amount(in body: Data) throws(PaymentError) -> Int64? {
    struct AmountBody: Decodable { var amount: Int64? }
    guard !body.isEmpty else { return nil }
    guard let parsed = try? SandboxJSON.decode(AmountBody.self, from: body) else {
      throw .invalid(field: "amount", reason: "must be a whole number of minor units")
    }
    return parsed.amount
  }

  /// Runs `handle` once per idempotency key and request, as the type's comment says.
  func idempotent(
    _ request: Request, _ handle: (Data, IdempotencyKey?) async throws -> SandboxResponse
  ) async throws -> Response {
    let body = Data(try await request.body.collect(upTo: 64 * 1024).readableBytesView)
    guard let header = request.headers[Self.idempotencyKey] else { return try await handle(body, nil).response }
    guard let key = IdempotencyKey(header: header) else {
      return SandboxResponse.problem(400, "validation_failed", "Idempotency-Key must be 1 to 255 printable characters")
        .response
    }
    let fingerprint = IdempotencyDecision.fingerprint(
      method: request.method.rawValue, path: request.uri.path, body: body)
    switch try await keys.begin(scope: Self.scope, key: key, fingerprint: fingerprint) {
    case .replay(let stored):
      return SandboxResponse(stored).response
    case .reused:
      return SandboxResponse.problem(422, "idempotency_key_reused", "this key was used for another request").response
    case .inUse(let seconds):
      var busy = SandboxResponse.problem(409, "idempotency_key_in_use", "the first request with this key still runs")
      busy.headers[.retryAfter] = String(seconds)
      return busy.response
    case .proceed, .takeOver:
      let answer: SandboxResponse
      do {
        answer = try await handle(body, key)
      } catch {
        try? await keys.release(scope: Self.scope, key: key)
        throw error
      }
      if answer.status >= 500 {
        try await keys.release(scope: Self.scope, key: key)
      } else {
        try await keys.complete(scope: Self.scope, key: key, response: answer.stored)
      }
      return answer.response
    }
  }
}
