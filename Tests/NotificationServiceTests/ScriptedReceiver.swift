import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A webhook endpoint or push service on loopback: records every POST to `/in` and answers
/// with the next scripted status (the last one repeated) and its headers.
final class ScriptedReceiver: Sendable {
  struct Received: Sendable {
    var headers: HTTPFields
    var body: Data

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
  }

  private let state: Mutex<(answers: [(HTTPResponse.Status, HTTPFields)], received: [Received])>

  init(_ answers: [(HTTPResponse.Status, HTTPFields)]) {
    state = Mutex((answers, []))
  }

  convenience init(statuses: [HTTPResponse.Status]) {
    self.init(statuses.map { ($0, HTTPFields()) })
  }

  var received: [Received] { state.withLock { $0.received } }

  var router: Router<BasicRequestContext> {
    let router = Router()
    router.post("in") { request, _ -> Response in
      let body = try await request.body.collect(upTo: 1 << 20)
      let (status, headers) = self.state.withLock { state in
        state.received.append(Received(headers: request.headers, body: Data(body.readableBytesView)))
        return state.answers.count > 1 ? state.answers.removeFirst() : state.answers[0]
      }
      return Response(status: status, headers: headers)
    }
    return router
  }
}
