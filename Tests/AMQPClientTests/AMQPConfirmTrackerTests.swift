import Testing

@testable import AMQPClient

@Suite struct AMQPConfirmTrackerTests {
  @Test func singleAcksInAnyOrderAndMultipleAcks() {
    var tracker = AMQPConfirmTracker<String>()
    for name in ["a", "b", "c", "d", "e"] { _ = tracker.published(name) }
    #expect(tracker.acked(3, multiple: false).map(\.0) == ["c"])
    #expect(tracker.acked(3, multiple: false).isEmpty)  // already confirmed
    #expect(tracker.acked(1, multiple: false).map(\.0) == ["a"])
    #expect(tracker.count == 3)
    #expect(tracker.acked(4, multiple: true).map(\.0) == ["b", "d"])
    #expect(tracker.nextTag == 6)
    #expect(tracker.nacked(5, multiple: false) == ["e"])
    #expect(tracker.count == 0)
    #expect(tracker.acked(9, multiple: true).isEmpty)  // beyond anything published
  }

  @Test func multipleWithTagZeroConfirmsEverything() {
    var tracker = AMQPConfirmTracker<Int>()
    for value in 1...3 { _ = tracker.published(value) }
    #expect(tracker.nacked(0, multiple: true) == [1, 2, 3])
  }

  @Test func aReturnMarksTheOldestMatchingMandatoryPublish() {
    var tracker = AMQPConfirmTracker<String>()
    let route = AMQPConfirmTracker<String>.Route("amq.direct", "nowhere")
    _ = tracker.published("not mandatory")
    _ = tracker.published("other route", mandatoryRoute: .init("amq.direct", "elsewhere"))
    _ = tracker.published("first", mandatoryRoute: route)
    _ = tracker.published("second", mandatoryRoute: route)
    let error = AMQPError(.messageReturned, replyCode: 312, replyText: "NO_ROUTE")
    let matched = tracker.returned(route, error: error)
    let unmatched = tracker.returned(.init("x", "y"), error: error)
    #expect(matched && !unmatched)
    let outcomes = tracker.acked(4, multiple: true)
    #expect(outcomes.map(\.0) == ["not mandatory", "other route", "first", "second"])
    #expect(outcomes.map(\.1) == [nil, nil, error, nil])
  }

  @Test func removeAllFailsWhatWaitsAndKeepsTheNumbering() {
    var tracker = AMQPConfirmTracker<Int>()
    for value in 1...3 { _ = tracker.published(value) }
    _ = tracker.acked(2, multiple: false)
    #expect(tracker.removeAll() == [1, 3])
    #expect(tracker.count == 0)
    #expect(tracker.published(4) == 4)
  }
}
