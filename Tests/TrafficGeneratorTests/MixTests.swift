import Testing

@testable import TrafficGenerator

@Suite struct MixTests {
  @Test func aJourneyIsPickedByItsShareOfTheWeights() {
    let mix = JourneyMix([(.browse, 50), (.search, 0), (.checkout, 50)])
    #expect(mix.pick(0) == .browse)
    #expect(mix.pick(0.499) == .browse)
    #expect(mix.pick(0.5) == .checkout)
    #expect(mix.pick(0.999) == .checkout)
  }

  @Test func theShopMixLooksMoreThanItBuys() {
    var counts: [Journey: Int] = [:]
    for step in 0..<1000 { counts[JourneyMix.shop.pick(Double(step) / 1000), default: 0] += 1 }
    #expect(counts[.browse]! > counts[.cart]!)
    #expect(counts[.cart]! > counts[.checkout]!)
    #expect(counts[.fulfil] == nil)
  }

  @Test func theStandardCardsAreTheApprovingAndDecliningOnes() {
    let cards = Set(CardMix.standard.weights.filter { $0.1 > 0 }.map(\.0))
    #expect(cards == [.approved, .declined, .insufficientFunds])
    let faults = Set(CardMix.faults.weights.filter { $0.1 > 0 }.map(\.0))
    #expect(faults.isSuperset(of: [.flaky, .slow]))
    #expect(CardMix.standard.pick(0) == .approved)
    #expect(CardMix.standard.pick(0.999).declines)
  }
}
