import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route of the router answers, to tell a client that used another one
/// which it may use (`405` with `Allow`) instead of that the route does not exist.
final class RouteTable: Sendable {
  /// A route's path as segments, `nil` for a parameter, and its methods.
  private struct Route {
    let segments: [Substring?]
    let methods: Set<String>
  }

  private let routes = Mutex<[Route]>([])

  /// Takes the routes of a router once all are added.
  func load(_ descriptions: [Router<GatewayRequestContext>.RouteDescription]) {
    let grouped = Dictionary(grouping: descriptions, by: { "\($0.path)" })
    let table = grouped.map { path, routes in
      Route(
        segments: path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? nil : $0 },
        methods: Set(routes.map(\.method.rawValue)))
    }
    routes.withLock { $0 = table }
  }

  /// The methods of the route `path` names, sorted; empty when no route matches it.
  func methods(for path: String) -> [String] {
    let parts = path.split(separator: "/")
    let matching = routes.withLock { routes in
      routes.filter { route in
        route.segments.count == parts.count
          && zip(route.segments, parts).allSatisfy { segment, part in segment.map { $0 == part } ?? true }
      }
    }
    return matching.reduce(into: Set<String>()) { $0.formUnion($1.methods) }.sorted()
  }
}
