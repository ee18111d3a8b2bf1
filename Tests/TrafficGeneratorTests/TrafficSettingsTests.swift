import Foundation
import Testing

@testable import TrafficGenerator

@Suite struct TrafficSettingsTests {
  @Test func aChangeSetsTheModeAndKeepsWhatItDoesNotName() throws {
    let start = TrafficSettings(mode: .pause, rate: 5, burstFactor: 4, burstSeconds: 5, burstInterval: 30)
    let steady = try start.applying(ModeChange(mode: "steady", rate: 20))
    #expect(steady == TrafficSettings(mode: .steady, rate: 20, burstFactor: 4, burstSeconds: 5, burstInterval: 30))
    let burst = try steady.applying(ModeChange(mode: "burst", burstFactor: 3, burstSeconds: 2))
    #expect(burst == TrafficSettings(mode: .burst, rate: 20, burstFactor: 3, burstSeconds: 2, burstInterval: 30))
  }

  @Test(arguments: [
    ModeChange(mode: "turbo"), ModeChange(mode: ""), ModeChange(mode: "steady", rate: 0),
    ModeChange(mode: "steady", rate: -1), ModeChange(mode: "steady", rate: 10_001),
    ModeChange(mode: "burst", burstFactor: 0.5), ModeChange(mode: "burst", burstSeconds: 0),
    ModeChange(mode: "burst", burstSeconds: 40, burstInterval: 30),
  ])
  func refusesAnUnknownModeOrAParameterOutOfRange(_ change: ModeChange) {
    let start = TrafficSettings()
    #expect(throws: TrafficError.self) { try start.applying(change) }
  }

  @Test func decodesTheControlAPIsSnakeCase() throws {
    let change = try JSONDecoder().decode(
      ModeChange.self, from: Data(#"{"mode":"burst","rate":2,"burst_factor":6,"burst_seconds":3}"#.utf8))
    #expect(change == ModeChange(mode: "burst", rate: 2, burstFactor: 6, burstSeconds: 3))
  }
}
