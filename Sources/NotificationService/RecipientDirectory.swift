import Foundation
import GRPCCore
import ShopContracts
import ShopRPC

/// Who a user is, as far as an email needs.
public struct Recipient: Sendable, Hashable {
  public var email: String
  public var name: String

  public init(email: String, name: String) {
    self.email = email
    self.name = name
  }
}

/// Where recipients' addresses come from; `nil` for an account that does not exist.
public protocol RecipientDirectory: Sendable {
  func recipient(_ user: UUID) async throws -> Recipient?
}

/// ``RecipientDirectory`` over the user service's `GetUser`, called as the notification
/// service itself (no end user).
public struct UserServiceRecipients<Transport: ClientTransport>: RecipientDirectory {
  public typealias Client = Shop_User_V1_UserService.Client<Transport>
  let upstream: Upstream<Client>

  public init(upstream: Upstream<Client>) {
    self.upstream = upstream
  }

  public func recipient(_ user: UUID) async throws -> Recipient? {
    var request = Shop_User_V1_GetUserRequest()
    request.userID = user.uuidString.lowercased()
    do {
      let found = try await upstream.idempotent { try await $0.getUser(request, options: $1) }
      return Recipient(email: found.email, name: found.name)
    } catch let error as RPCError where error.code == .notFound {
      return nil
    }
  }
}
