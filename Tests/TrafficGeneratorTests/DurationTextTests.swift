import Testing

@testable import TrafficGenerator

@Suite struct DurationTextTests {
  @Test func readsTheCommandLinesUnits() throws {
    #expect(try DurationText.parse("500ms") == .milliseconds(500))
    #expect(try DurationText.parse("15s") == .seconds(15))
    #expect(try DurationText.parse("2m") == .seconds(120))
    #expect(try DurationText.parse("1h") == .seconds(3600))
    #expect(try DurationText.parse("1.5s") == .milliseconds(1500))
    #expect(try DurationText.parse("20") == .seconds(20))
  }

  @Test(arguments: ["", "s", "fast", "-1s", "10x", "ms", "1d"])
  func refusesWhatIsNoDuration(_ text: String) {
    #expect(throws: TrafficError.self) { try DurationText.parse(text) }
  }
}
