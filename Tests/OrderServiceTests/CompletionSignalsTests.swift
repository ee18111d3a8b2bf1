import Foundation
import Testing

@testable import OrderService

@Suite struct CompletionSignalsTests {
  @Test func aSignalWakesItsWaiters() async {
    let signals = CompletionSignals()
    let id = UUID()
    signals.expect(id)
    async let woken = signals.wait(for: id, timeout: .seconds(10))
    async let other = signals.wait(for: id, timeout: .seconds(10))
    try? await Task.sleep(for: .milliseconds(50))
    signals.signal(id)
    let (first, second) = await (woken, other)
    #expect(first && second)
  }

  @Test func aSignalGivenBeforeTheWaitIsKept() async {
    let signals = CompletionSignals()
    let id = UUID()
    signals.expect(id)
    signals.signal(id)
    #expect(await signals.wait(for: id, timeout: .seconds(10)))
    signals.forget(id)
    #expect(await signals.wait(for: id, timeout: .seconds(10)) == false)
  }

  @Test func theWaitEndsAtItsTimeout() async {
    let signals = CompletionSignals()
    let id = UUID()
    signals.expect(id)
    let began = ContinuousClock.now
    #expect(await signals.wait(for: id, timeout: .milliseconds(100)) == false)
    #expect(ContinuousClock.now - began < .seconds(5))
  }

  @Test func aSignalForNoOneExpectedIsDropped() async {
    let signals = CompletionSignals()
    let id = UUID()
    signals.signal(id)
    #expect(await signals.wait(for: id, timeout: .milliseconds(50)) == false)
  }
}
