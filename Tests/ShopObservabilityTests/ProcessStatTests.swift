import Testing

@testable import ShopObservability

@Suite struct ProcessStatTests {
  @Test func cpuTimeAndResidentPagesAreCountedFromTheEndOfTheCommandName() throws {
    // A command name with a space and a parenthesis of its own.
    let line =
      "4242 (shop (x) y) S 1 4242 4242 0 -1 4194560 1200 0 0 0 350 150 0 0 20 0 9 0 12345 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0"
    let stat = try #require(ProcessStat(parsing: line))
    #expect(stat.cpuTicks == 500)
    #expect(stat.residentPages == 2048)
  }

  @Test func aLineThatIsNotAStatIsNothing() {
    #expect(ProcessStat(parsing: "") == nil)
    #expect(ProcessStat(parsing: "4242 (shop) S 1 2 3") == nil)
    #expect(ProcessStat(parsing: "no parenthesis at all") == nil)
  }

  @Test func thisProcessHasUsedSomeCPUAndHoldsSomeMemory() throws {
    let stat = try #require(ProcessStat.current())
    #expect(stat.residentPages > 0)
    #expect(stat.cpuTicks >= 0)
  }
}
