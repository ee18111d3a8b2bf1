import ServiceContextModule

/// The authenticated end user a request is served for, carried in the task's
/// `ServiceContext`. Downstream calls carry the user's access token, which each service
/// verifies itself.
public struct CallerIdentity: Sendable, Equatable {
  public var userID: String
  public var role: String
  /// The verified access token, forwarded as `authorization: Bearer …`.
  public var token: String?

  public init(userID: String, role: String, token: String? = nil) {
    self.userID = userID
    self.role = role
    self.token = token
  }

  public var isAdmin: Bool { role == "admin" }
}

public enum CallerIdentityKey: ServiceContextKey {
  public typealias Value = CallerIdentity
}

/// The service that made an incoming call, named by its client certificate.
public enum CallerServiceKey: ServiceContextKey {
  public typealias Value = String
}

/// The address the end user's request came from, as the edge saw it, for limits per client.
public enum ClientAddressKey: ServiceContextKey {
  public typealias Value = String
}

extension ServiceContext {
  public var clientAddress: String? {
    get { self[ClientAddressKey.self] }
    set { self[ClientAddressKey.self] = newValue }
  }

  public var callerIdentity: CallerIdentity? {
    get { self[CallerIdentityKey.self] }
    set { self[CallerIdentityKey.self] = newValue }
  }

  public var callerService: String? {
    get { self[CallerServiceKey.self] }
    set { self[CallerServiceKey.self] = newValue }
  }
}
