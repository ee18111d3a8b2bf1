import ShopContracts
import ShopRPC

extension ProductRPCService {
  /// The catalog is read by any service; only an administrator's token changes it, only the
  /// order service holds stock for a checkout, and a waitlist is its user's own.
  static var accessPolicy: AccessPolicy {
    AccessPolicy(
      service: Shop_Product_V1_ProductService.descriptor,
      rules: [
        "ListCategories": .anyService(.none),
        "SearchProducts": .anyService(.none),
        "GetProduct": .anyService(.none),
        "CreateCategory": .init(["gateway": .admin]),
        "CreateProduct": .init(["gateway": .admin]),
        "UpdateProduct": .init(["gateway": .admin]),
        "AdjustInventory": .init(["gateway": .admin]),
        "Reserve": .init(["order": .none]),
        "Commit": .init(["order": .none]),
        "Release": .init(["order": .none]),
        "Restock": .init(["order": .none]),
        "JoinWaitlist": .init(["gateway": .required]),
        "LeaveWaitlist": .init(["gateway": .required]),
        "ListWaitlist": .init(["gateway": .required]),
      ])
  }
}
