import ShopRPC

/// What can go wrong in the user service, each with the stable code clients see.
public enum UserError: Error, Sendable, Equatable {
  case validationFailed([FieldViolation])
  case emailTaken
  case invalidCredentials
  case loginThrottled(retryAfterSeconds: Int)
  case invalidRefreshToken
  case notFound(String)

  public var code: String {
    switch self {
    case .validationFailed: "validation_failed"
    case .emailTaken: "email_taken"
    case .invalidCredentials: "invalid_credentials"
    case .loginThrottled: "too_many_requests"
    case .invalidRefreshToken: "unauthorized"
    case .notFound: "not_found"
    }
  }

  public var message: String {
    switch self {
    case .validationFailed(let violations):
      violations.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
    case .emailTaken: "an account with this email already exists"
    case .invalidCredentials: "email or password is wrong"
    case .loginThrottled: "too many failed logins; try again later"
    case .invalidRefreshToken: "the refresh token is invalid, expired or spent"
    case .notFound(let what): "\(what) not found"
    }
  }
}
