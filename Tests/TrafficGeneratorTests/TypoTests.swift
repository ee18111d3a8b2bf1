import Testing

@testable import TrafficGenerator

@Suite struct TypoTests {
  @Test func eachKindMakesOneMistakeAfterTheFirstLetter() {
    #expect(Typo.apply(.drop, to: "lamp", at: 0) == "lmp")
    #expect(Typo.apply(.double, to: "lamp", at: 0) == "laamp")
    #expect(Typo.apply(.swap, to: "lamp", at: 0) == "lmap")
    #expect(Typo.apply(.swap, to: "lamp", at: 1) == "lapm")
  }

  @Test func aPositionPastTheEndWrapsAndShortTermsStay() {
    for position in 0..<12 {
      let dropped = Typo.apply(.drop, to: "kettle", at: position)
      #expect(dropped == Typo.apply(.drop, to: "kettle", at: position + 4))
      #expect(dropped.count == 5 && dropped.first == "k")
    }
    #expect(Typo.apply(.drop, to: "mug", at: 1) == "mug")
  }
}
