import Foundation
import ServiceContextModule

/// The id of the client request a task is serving, carried in the task's `ServiceContext`
/// so that every log line written on its behalf names it, in any module.
public enum RequestIDKey: ServiceContextKey {
  public typealias Value = String
  public static var nameOverride: String? { "http.request.id" }
}

extension ServiceContext {
  public var requestID: String? {
    get { self[RequestIDKey.self] }
    set { self[RequestIDKey.self] = newValue }
  }
}

public enum RequestID {
  /// Header and gRPC metadata key that carries it.
  public static let header = "x-request-id"

  public static func generate() -> String {
    UUID().uuidString.lowercased()
  }

  /// A client-sent id is echoed only when it is short and printable, so that a hostile
  /// value cannot spoil logs or responses.
  public static func isAcceptable(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 128
      && id.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7e }
  }
}
