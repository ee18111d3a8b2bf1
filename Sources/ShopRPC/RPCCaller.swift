import Foundation
import GRPCCore
import ServiceContextModule

/// Whom an incoming call is for, as ``CallerAuthenticationInterceptor`` established it.
public enum RPCCaller {
  /// The end user whose token came with the call.
  public static var user: CallerIdentity? { ServiceContext.current?.callerIdentity }

  /// The calling service, by its certificate.
  public static var service: String? { ServiceContext.current?.callerService }

  /// Where the end user's request came from, as the edge saw it.
  public static var clientAddress: String? { ServiceContext.current?.clientAddress }

  /// The end user a call must be for: the token's user id and whether they are an
  /// administrator; `unauthenticated` when the call carries no token.
  public static func endUser() throws -> (id: UUID, isAdmin: Bool) {
    guard let user, let id = UUID(uuidString: user.userID) else {
      throw RPCError(code: .unauthenticated, message: "the call names no user")
    }
    return (id, user.isAdmin)
  }

  /// The user a call is about. With a token it is the token's user: a request that names
  /// another user is answered `notFound`, as if that user's data did not exist. Without a
  /// token (a service acting for itself) it is the user the request names.
  public static func subject(requested: String) throws -> String {
    if let user {
      guard requested.isEmpty || requested.lowercased() == user.userID.lowercased() else {
        throw RPCError(code: .notFound, message: "user not found")
      }
      return user.userID
    }
    guard !requested.isEmpty else { throw RPCError(code: .invalidArgument, message: "the call names no user") }
    return requested
  }
}
