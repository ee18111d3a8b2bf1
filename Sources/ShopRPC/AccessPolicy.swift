import GRPCCore

/// Who may call each method of a service: which calling services (by their certificate), and
/// for each what end user (by the access token forwarded with the call). A method without a
/// rule is refused, so that a new method is closed until it names its callers.
public struct AccessPolicy: Sendable {
  public enum User: Sendable, Equatable {
    /// Called for no end user; a token, if sent, is still verified.
    case none
    /// An end user's valid token is required.
    case required
    /// An administrator's valid token is required.
    case admin
  }

  /// The services a method accepts, and what each must send of an end user.
  public struct Rule: Sendable, Equatable {
    let callers: [String: User]
    let everyService: User?

    /// Only these services, each with its own requirement.
    public init(_ callers: [String: User]) {
      self.callers = callers
      self.everyService = nil
    }

    private init(everyService: User) {
      self.callers = [:]
      self.everyService = everyService
    }

    /// Any service of the stack.
    public static func anyService(_ user: User) -> Rule { Rule(everyService: user) }

    /// What `service` must send, or `nil` when it may not call.
    func requirement(for service: String) -> User? {
      callers[service] ?? everyService
    }
  }

  let rules: [String: Rule]

  /// - Parameter rules: by method name (`GetUser`), for the methods of `service`.
  public init(service: ServiceDescriptor, rules: [String: Rule]) {
    self.rules = Dictionary(
      uniqueKeysWithValues: rules.map {
        (MethodDescriptor(service: service, method: $0.key).fullyQualifiedMethod, $0.value)
      })
  }

  func rule(for method: MethodDescriptor) -> Rule? {
    rules[method.fullyQualifiedMethod]
  }
}
