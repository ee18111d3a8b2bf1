import ShopContracts
import ShopRPC

extension UserRPCService {
  /// The gateway calls for the public API, with the end user's token for a user's own data;
  /// other services read a customer's profile (contact details) for themselves.
  static var accessPolicy: AccessPolicy {
    AccessPolicy(
      service: Shop_User_V1_UserService.descriptor,
      rules: [
        "Register": .init(["gateway": .none]),
        "Login": .init(["gateway": .none]),
        "Refresh": .init(["gateway": .none]),
        "Logout": .init(["gateway": .none]),
        "GetUser": .init(["gateway": .required, "notification": .none, "order": .none]),
        "UpdateUser": .init(["gateway": .required]),
        "AddAddress": .init(["gateway": .required]),
        "ListAddresses": .init(["gateway": .required, "order": .none]),
        "DeleteAddress": .init(["gateway": .required]),
        "GetJWKS": .anyService(.none),
      ])
  }
}
