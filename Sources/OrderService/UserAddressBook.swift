import Foundation
import GRPCCore
import ShopContracts
import ShopRPC

/// ``AddressBook`` over the user service's gRPC API, with the customer's forwarded token.
public struct UserAddressBook<Transport: ClientTransport>: AddressBook {
  public typealias Client = Shop_User_V1_UserService.Client<Transport>
  let upstream: Upstream<Client>

  public init(upstream: Upstream<Client>) {
    self.upstream = upstream
  }

  public func address(_ id: UUID, of userID: UUID) async throws -> PostalAddress? {
    var request = Shop_User_V1_ListAddressesRequest()
    request.userID = userID.lowercased
    let list = try await UpstreamFailure.mapped("user") {
      try await upstream.idempotent { try await $0.listAddresses(request, options: $1) }
    }
    guard let found = list.items.first(where: { UUID(uuidString: $0.id) == id }) else { return nil }
    return PostalAddress(
      line1: found.line1, line2: found.hasLine2 ? found.line2 : nil, city: found.city,
      postalCode: found.postalCode, country: found.country)
  }
}
