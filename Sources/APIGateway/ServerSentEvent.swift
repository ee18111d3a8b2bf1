import Foundation
import NIOCore

/// The `text/event-stream` framing of the live order updates: an event is its `event:`, `id:`
/// and `data:` lines and a blank line; a comment line keeps an idle connection open.
enum ServerSentEvent {
  static func status(_ change: OrderEventStream.Change) -> ByteBuffer {
    let data = StatusData(status: change.status, at: change.at)
    // Two strings: encoding cannot fail, and JSON has no raw newline to break the data line.
    let json = (try? encoder.encode(data)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    return ByteBuffer(string: "event: status\nid: \(change.sequence)\ndata: \(json)\n\n")
  }

  private static let encoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return encoder
  }()

  static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

  private struct StatusData: Encodable {
    var status: String
    var at: String
  }
}
