import Foundation
import NIOHTTP1

/// Runs one session of a journey for one virtual user: its requests in order, a think time
/// between them, each timed from when it was due. A session stops before its next request
/// when the generator pauses.
struct JourneyRunner: Sendable {
  let catalog: Catalog
  let cards: CardMix
  let think: ThinkTime
  let restock: RestockList
  /// How long a customer watches an order's live event stream.
  let watch: ClosedRange<Double>
  /// False while paused: no new request starts.
  let proceeds: @Sendable () -> Bool

  /// How many requests each journey makes, about: what the session rate is planned with.
  static let requestsPerSession: [Journey: Double] = [
    .browse: 4, .search: 3, .cart: 5, .checkout: 4, .follow: 3.5, .fulfil: 6,
  ]

  /// How long a session of the mix lasts on average, mostly thinking.
  func meanSessionDuration(_ mix: JourneyMix) -> Duration {
    let total = mix.weights.reduce(0) { $0 + $1.1 }
    let requests = mix.weights.reduce(0) { $0 + $1.1 * (Self.requestsPerSession[$1.0] ?? 4) } / total
    let following = mix.weights.filter { $0.0 == .follow }.reduce(0) { $0 + $1.1 } / total
    let watching = (watch.lowerBound + watch.upperBound) / 2 * following
    return think.mean * max(requests - 1, 0) + .milliseconds(watching * 1000)
  }

  func run(_ journey: Journey, user: VirtualUser, arrival: ContinuousClock.Instant) async {
    guard proceeds() else { return }
    let token: String
    do {
      token = try await user.token()
    } catch {
      // The session could not start: counted as its first request, failed.
      user.api.stats.record(
        StepKey(journey, "login"), latency: ShopAPI.clock.now - arrival,
        outcome: .failure(.login))
      return
    }
    var session = Session(runner: self, journey: journey, api: user.api, token: token, due: arrival)
    switch journey {
    case .browse: await session.browse()
    case .search: await session.search()
    case .cart: await session.cart()
    case .checkout: await session.checkout()
    case .follow: await session.follow()
    case .fulfil: await session.fulfil()
    }
  }

  /// One session's state: when its next request is due.
  struct Session {
    let runner: JourneyRunner
    let journey: Journey
    let api: ShopAPI
    let token: String
    var due: ContinuousClock.Instant
    var random = SystemRandomNumberGenerator()
    var first = true

    init(runner: JourneyRunner, journey: Journey, api: ShopAPI, token: String, due: ContinuousClock.Instant) {
      self.runner = runner
      self.journey = journey
      self.api = api
      self.token = token
      self.due = due
    }

    /// Thinks (except before the first request), then sends; nil when paused meanwhile.
    mutating func step(
      _ name: String, _ method: HTTPMethod, _ path: String, body: [String: Any]? = nil,
      idempotencyKey: String? = nil, expected: [Int: Set<String>] = [:], thinking: Bool = true
    ) async -> ShopAPI.Answer? {
      if !first && thinking {
        let pause = runner.think.sample(using: &random)
        try? await Task.sleep(for: pause)
        due = ShopAPI.clock.now
      } else if !first {
        due = ShopAPI.clock.now
      }
      first = false
      guard runner.proceeds() else { return nil }
      return await api.call(
        StepKey(journey, name), method, path, body: body, token: token, idempotencyKey: idempotencyKey,
        expected: expected, intendedStart: due)
    }

    mutating func someProduct() -> String {
      runner.catalog.productIDs.randomElement(using: &random)!
    }

    func notice(_ product: [String: Any]) {
      if let id = product["id"] as? String, let status = product["stock_status"] as? String, status != "in_stock" {
        runner.restock.add(id)
      }
    }

    mutating func browse() async {
      guard await step("categories", .GET, "/categories") != nil else { return }
      let category = runner.catalog.categoryIDs.randomElement(using: &random)
      guard let list = await step("list", .GET, "/products?limit=20" + (category.map { "&category=\($0)" } ?? ""))
      else { return }
      let listed = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      for _ in 0..<2 {
        let id = listed.randomElement(using: &random) ?? someProduct()
        guard let page = await step("product", .GET, "/products/\(id)") else { return }
        notice(page.json)
      }
    }

    mutating func search() async {
      let terms = runner.catalog.searchTerms
      guard var term = terms.randomElement(using: &random) else { return await browse() }
      if Double.random(in: 0..<1, using: &random) < 0.3 { term = Typo.apply(to: term, using: &random) }
      guard let found = await step("query", .GET, "/products?limit=20&q=\(Self.escape(term))") else { return }
      let refined = terms.randomElement(using: &random)!
      guard
        await step("sorted", .GET, "/products?limit=20&sort=price_asc&in_stock=true&q=\(Self.escape(refined))") != nil
      else { return }
      let hits = (found.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      let id = hits.randomElement(using: &random) ?? someProduct()
      guard let page = await step("product", .GET, "/products/\(id)") else { return }
      notice(page.json)
    }

    static let short: [Int: Set<String>] = [409: ["insufficient_stock", "out_of_stock"]]

    mutating func cart() async {
      guard await step("view", .GET, "/cart") != nil else { return }
      let (first, second) = (someProduct(), someProduct())
      guard await step("add", .PUT, "/cart/items/\(first)", body: ["quantity": 1], expected: Self.short) != nil,
        await step("add", .PUT, "/cart/items/\(second)", body: ["quantity": 1], expected: Self.short) != nil,
        await step("change", .PUT, "/cart/items/\(first)", body: ["quantity": 2], expected: Self.short) != nil
      else { return }
      _ = await step("remove", .DELETE, "/cart/items/\(second)")
    }

    mutating func checkout() async {
      let product = someProduct()
      guard await step("add", .PUT, "/cart/items/\(product)", body: ["quantity": 1], expected: Self.short) != nil,
        await step("view", .GET, "/cart") != nil
      else { return }
      let card = runner.cards.pick(Double.random(in: 0..<1, using: &random))
      let body: [String: Any] = [
        "shipping_address": [
          "line1": "1 Traffic Street", "city": "Loadtown", "postal_code": "10115", "country": "DE",
        ],
        "payment": ["card_number": card.rawValue, "exp_month": 12, "exp_year": 2099, "cvc": "123"],
      ]
      guard
        let order = await step(
          "order", .POST, "/orders", body: body, idempotencyKey: UUID().uuidString,
          expected: [402: ["payment_failed"], 409: ["out_of_stock", "insufficient_stock"]])
      else { return }
      if order.status == 409 {
        for item in order.json["items"] as? [[String: Any]] ?? [] {
          if let id = item["product_id"] as? String { runner.restock.add(id) }
        }
        // The customer gives up on what is not there.
        _ = await step("clear", .DELETE, "/cart", thinking: false)
        return
      }
      guard let id = order.json["id"] as? String else { return }
      _ = await step("detail", .GET, "/orders/\(id)")
    }

    mutating func follow() async {
      guard let list = await step("list", .GET, "/orders?limit=5") else { return }
      guard let newest = (list.json["items"] as? [[String: Any]])?.first?["id"] as? String else { return }
      guard let detail = await step("detail", .GET, "/orders/\(newest)") else { return }
      let watch = Double.random(in: runner.watch, using: &random)
      if detail.json["status"] as? String == "delivered" {
        _ = await step("complete", .POST, "/orders/\(newest)/complete", expected: [409: ["invalid_transition"]])
        return
      }
      guard runner.proceeds() else { return }
      _ = await api.follow(
        StepKey(journey, "events"), orderID: newest, token: token, duration: .seconds(watch),
        intendedStart: ShopAPI.clock.now)
    }

    mutating func fulfil() async {
      let racing: [Int: Set<String>] = [409: ["invalid_transition"]]
      if let paid = await step("paid", .GET, "/orders?status=paid&limit=20", thinking: false) {
        for order in (paid.json["items"] as? [[String: Any]] ?? []).prefix(10) {
          guard let id = order["id"] as? String else { continue }
          let body: [String: Any] = ["carrier": "DHL", "tracking_number": "TRK\(id.prefix(8).uppercased())"]
          guard await step("ship", .POST, "/orders/\(id)/ship", body: body, expected: racing, thinking: false) != nil
          else { return }
        }
      }
      if let shipped = await step("shipped", .GET, "/orders?status=shipped&limit=20", thinking: false) {
        for order in (shipped.json["items"] as? [[String: Any]] ?? []).prefix(10) {
          guard let id = order["id"] as? String else { continue }
          guard await step("deliver", .POST, "/orders/\(id)/deliver", expected: racing, thinking: false) != nil
          else { return }
        }
      }
      for id in runner.restock.take(5) {
        let body: [String: Any] = ["delta": 200, "reason": "restock"]
        guard await step("restock", .POST, "/products/\(id)/inventory/adjustments", body: body, thinking: false) != nil
        else { return }
      }
    }

    static func escape(_ term: String) -> String {
      term.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? term
    }
  }
}
