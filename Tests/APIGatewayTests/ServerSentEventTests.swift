import NIOCore
import Testing

@testable import APIGateway

@Suite struct ServerSentEventTests {
  @Test func aStatusIsItsEventIdAndDataLinesThenABlankLine() {
    let change = OrderEventStream.Change(sequence: 3, status: "shipped", at: "2026-12-03T10:00:00.000Z")
    #expect(
      String(buffer: ServerSentEvent.status(change))
        == "event: status\nid: 3\ndata: {\"at\":\"2026-12-03T10:00:00.000Z\",\"status\":\"shipped\"}\n\n")
  }

  @Test func aKeepAliveIsACommentAClientIgnores() {
    let text = String(buffer: ServerSentEvent.keepAlive)
    #expect(text.hasPrefix(":") && text.hasSuffix("\n\n"))
  }
}
