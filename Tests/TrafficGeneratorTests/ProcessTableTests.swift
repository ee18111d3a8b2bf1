import Foundation
import Testing

@testable import TrafficGenerator

@Suite struct ProcessTableTests {
  @Test func readsTheTimesPastACommandNameWithSpacesAndParentheses() {
    let stat = "4242 (beam.smp (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 12345"
    #expect(ProcessTable.stat(stat)?.parent == 1)
    #expect(ProcessTable.stat(stat)?.ticks == 325)
    #expect(ProcessTable.stat("garbage") == nil)
  }

  @Test func findsTheProgramAProcessBelongsTo() {
    let environment = "PATH=/usr/bin\0SUPERVISOR_PROCESS_NAME=order-2\0SUPERVISOR_ENABLED=1\0"
    #expect(ProcessTable.programName(environment: environment) == "order-2")
    #expect(ProcessTable.programName(environment: "PATH=/usr/bin\0") == nil)
  }

  @Test func readsTheProportionalSetSize() {
    let rollup = "55d0-7ffc ---p 00000000 00:00 0 [rollup]\nRss:   20480 kB\nPss:   10240 kB\nShared_Clean: 1 kB\n"
    #expect(ProcessTable.proportionalBytes(rollup: rollup) == 10_485_760)
    #expect(ProcessTable.proportionalBytes(rollup: "") == nil)
  }

  @Test func readsSupervisorsMainProcesses() {
    let status = """
      nginx                            RUNNING   pid 15964, uptime 0:00:08
      order-2                          STOPPED   Dec 04 04:50 AM
      redis                            RUNNING   pid 27597, uptime 0:33:51
      """
    #expect(ProcessTable.mainProcesses(status: status) == [15964: "nginx", 27597: "redis"])
  }

  @Test func addsUpEveryProcessOfAProgramAndSkipsTheOthers() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    func process(_ pid: Int, parent: Int = 1, program: String?, ticks: (Int, Int), pssKB: Int) throws {
      let directory = "\(root)/\(pid)"
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      let environment = program.map { "HOME=/\0SUPERVISOR_PROCESS_NAME=\($0)\0" } ?? "HOME=/\0"
      try environment.write(toFile: "\(directory)/environ", atomically: true, encoding: .utf8)
      try "\(pid) (x) S \(parent) 1 1 0 -1 0 0 0 0 0 \(ticks.0) \(ticks.1) 0 0 20 0 1 0 1"
        .write(toFile: "\(directory)/stat", atomically: true, encoding: .utf8)
      try "Pss: \(pssKB) kB\n".write(toFile: "\(directory)/smaps_rollup", atomically: true, encoding: .utf8)
    }
    try process(10, program: "postgres", ticks: (100, 50), pssKB: 1024)
    try process(11, program: "postgres", ticks: (40, 10), pssKB: 2048)
    try process(12, program: "redis", ticks: (5, 5), pssKB: 512)
    try process(13, program: nil, ticks: (999, 999), pssKB: 99_999)
    // A title-rewriting server: named by supervisord, its worker by ancestry.
    try process(20, program: nil, ticks: (1, 1), pssKB: 100)
    try process(21, parent: 20, program: nil, ticks: (2, 2), pssKB: 200)
    try FileManager.default.createDirectory(atPath: "\(root)/self", withIntermediateDirectories: true)
    let table = ProcessTable(root: root)
    let programs = table.programs(mainProcesses: [20: "nginx"])
    #expect(Set(programs.keys) == ["postgres", "redis", "nginx"])
    #expect(programs["nginx"]!.residentBytes == 300 * 1024)
    #expect(abs(programs["postgres"]!.cpuSeconds - 200 / table.ticksPerSecond) < 1e-9)
    #expect(programs["postgres"]!.residentBytes == 3 * 1_048_576)
    #expect(programs["redis"]!.residentBytes == 524_288)
  }
}
