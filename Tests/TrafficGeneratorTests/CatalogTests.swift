import Testing

@testable import TrafficGenerator

@Suite struct CatalogTests {
  @Test func searchTermsAreTheDistinctLongerWordsOfTheNames() {
    let terms = Catalog.searchTerms(in: ["Desk Lamp", "Lamp, brass (large)", "Tea mug"])
    #expect(terms == ["desk", "lamp", "brass", "large"])
  }

  @Test func customersShopInTheCatalogsMainCurrency() {
    func product(_ id: String, _ currency: String) -> [String: Any] {
      ["id": id, "price": ["amount": 100, "currency": currency]]
    }
    let products = [product("a", "USD"), product("b", "EUR"), product("c", "USD"), ["id": "d"]]
    #expect(Catalog.inShopCurrency(products).compactMap { $0["id"] as? String } == ["a", "c"])
    #expect(Catalog.inShopCurrency([]).isEmpty)
  }

  @Test func theRestockListKeepsEachProductOnceUntilTaken() {
    let list = RestockList()
    list.add("a")
    list.add("b")
    list.add("a")
    #expect(list.take(5) == ["a", "b"])
    #expect(list.take(5).isEmpty)
    for index in 0..<(RestockList.limit + 10) { list.add("p\(index)") }
    #expect(list.take(1000).count == RestockList.limit)
  }

  @Test func aSessionOfTheShopMixLastsAboutItsThinking() {
    let runner = JourneyRunner(
      catalog: Catalog(categoryIDs: [], productIDs: ["p"], searchTerms: []), cards: .standard,
      think: ThinkTime(minimum: .seconds(1), maximum: .seconds(3)), restock: RestockList(), watch: 2...4,
      proceeds: { true })
    let mix = JourneyMix([(.browse, 1)])
    // Four requests, three pauses of two seconds on average.
    #expect(runner.meanSessionDuration(mix) == .seconds(6))
    #expect(runner.meanSessionDuration(JourneyMix([(.follow, 1)])) == .seconds(8))
  }

  @Test func thinkTimesStayInTheirRangeAndScale() {
    var random = SystemRandomNumberGenerator()
    let think = ThinkTime.human.scaled(by: 0.5)
    #expect(think == ThinkTime(minimum: .milliseconds(1500), maximum: .seconds(5)))
    for _ in 0..<200 {
      let pause = think.sample(using: &random)
      #expect(pause >= think.minimum && pause <= think.maximum)
    }
    #expect(ThinkTime.human.scaled(by: 0).sample(using: &random) == .zero)
  }
}
