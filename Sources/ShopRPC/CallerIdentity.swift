import ServiceContextModule

/// The authenticated end user a request is served for, carried in the task's
/// `ServiceContext` and forwarded to every downstream call in gRPC metadata.
public struct CallerIdentity: Sendable, Equatable {
  public var userID: String
  public var role: String

  public init(userID: String, role: String) {
    self.userID = userID
    self.role = role
  }
}

public enum CallerIdentityKey: ServiceContextKey {
  public typealias Value = CallerIdentity
}

extension ServiceContext {
  public var callerIdentity: CallerIdentity? {
    get { self[CallerIdentityKey.self] }
    set { self[CallerIdentityKey.self] = newValue }
  }
}
