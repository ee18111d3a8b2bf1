/// How one request of a journey ended, as the statistics count it.
public enum StepOutcome: Sendable, Equatable {
  /// A 2xx answer.
  case success
  /// A refusal the journey expects as part of shopping (a declined card's `402`, `409` out
  /// of stock): counted apart, never an error.
  case expected(String)
  case failure(ErrorKind)

  /// What went wrong with a request, the key its errors are counted under.
  public enum ErrorKind: Sendable, Hashable, CustomStringConvertible {
    /// An answer the journey did not expect, with the problem's `code` when it had one.
    case http(status: Int, code: String?)
    /// No answer within the request's timeout.
    case timeout
    /// The connection could not be made or broke.
    case connection
    /// The session's user could not log in, so the session made no request.
    case login

    public var description: String {
      switch self {
      case .http(let status, let code): code.map { "\(status) \($0)" } ?? "\(status)"
      case .timeout: "timeout"
      case .connection: "connection"
      case .login: "login"
      }
    }
  }

  public var isError: Bool {
    if case .failure = self { return true }
    return false
  }

  /// The outcome of an answer with `status` and problem `code`, given the answers this step
  /// expects besides success (status → the codes that are expected with it).
  public static func classify(status: Int, code: String?, expected: [Int: Set<String>] = [:]) -> StepOutcome {
    if (200..<300).contains(status) { return .success }
    if let codes = expected[status], let code, codes.contains(code) { return .expected("\(status) \(code)") }
    return .failure(.http(status: status, code: code))
  }
}
