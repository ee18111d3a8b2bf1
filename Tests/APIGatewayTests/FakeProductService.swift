import Foundation
import GRPCCore
import ShopContracts
import ShopRPC
import SwiftProtobuf
import Synchronization

/// A product service that answers from memory and remembers the last search it was asked:
/// enough to exercise the catalog routes' translation and error mapping.
final class FakeProductService: Shop_Product_V1_ProductService.SimpleServiceProtocol, Sendable {
  static let lamp = "8f0e1d2c-3b4a-4596-8877-665544332211"
  let lastSearch = Mutex<Shop_Product_V1_SearchProductsRequest?>(nil)
  let waitlisted = Mutex<Set<String>>([])

  static var product: Shop_Product_V1_Product {
    var product = Shop_Product_V1_Product()
    product.id = lamp
    product.sku = "LAMP-1"
    product.name = "Desk Lamp"
    product.price = .with {
      $0.amount = 1999
      $0.currency = "USD"
    }
    product.available = 3
    product.stockStatus = "low_stock"
    product.createdAt = "2026-01-01T00:00:00.000Z"
    return product
  }

  func listCategories(request: Shop_Product_V1_ListCategoriesRequest, context: ServerContext) async throws
    -> Shop_Product_V1_CategoryList
  {
    var child = Shop_Product_V1_Category()
    child.id = "c2"
    child.name = "Lighting"
    child.slug = "lighting"
    child.parentID = "c1"
    var root = Shop_Product_V1_Category()
    root.id = "c1"
    root.name = "Home"
    root.slug = "home"
    root.children = [child]
    return .with { $0.items = [root] }
  }

  func createCategory(request: Shop_Product_V1_CreateCategoryRequest, context: ServerContext) async throws
    -> Shop_Product_V1_Category
  {
    .with {
      $0.id = "c3"
      $0.name = request.name
      $0.slug = request.slug
    }
  }

  func searchProducts(request: Shop_Product_V1_SearchProductsRequest, context: ServerContext) async throws
    -> Shop_Product_V1_SearchProductsResponse
  {
    lastSearch.withLock { $0 = request }
    return .with {
      $0.items = [Self.product]
      $0.nextCursor = "next"
    }
  }

  func getProduct(request: Shop_Product_V1_GetProductRequest, context: ServerContext) async throws
    -> Shop_Product_V1_Product
  {
    guard request.id == Self.lamp else {
      throw FakeUserService.failure(.notFound, "not_found", "product not found")
    }
    return Self.product
  }

  func createProduct(request: Shop_Product_V1_CreateProductRequest, context: ServerContext) async throws
    -> Shop_Product_V1_Product
  {
    guard request.sku != "TAKEN" else { throw FakeUserService.failure(.alreadyExists, "sku_taken", "sku taken") }
    return Self.product
  }

  func updateProduct(request: Shop_Product_V1_UpdateProductRequest, context: ServerContext) async throws
    -> Shop_Product_V1_Product
  {
    var product = Self.product
    if request.hasName { product.name = request.name }
    return product
  }

  func adjustInventory(request: Shop_Product_V1_AdjustInventoryRequest, context: ServerContext) async throws
    -> Shop_Product_V1_StockLevel
  {
    guard request.delta > -10 else {
      throw FakeUserService.failure(.failedPrecondition, "insufficient_stock", "not enough stock")
    }
    return .with {
      $0.onHand = 10 + request.delta
      $0.reserved = 2
      $0.available = 8 + request.delta
    }
  }

  func reserve(request: Shop_Product_V1_ReserveRequest, context: ServerContext) async throws
    -> Shop_Product_V1_ReserveResponse
  {
    throw RPCError(code: .unimplemented, message: "")
  }

  func commit(request: Shop_Product_V1_OrderReservationRequest, context: ServerContext) async throws
    -> Shop_Product_V1_ReservationState
  {
    throw RPCError(code: .unimplemented, message: "")
  }

  func release(request: Shop_Product_V1_OrderReservationRequest, context: ServerContext) async throws
    -> Shop_Product_V1_ReservationState
  {
    throw RPCError(code: .unimplemented, message: "")
  }

  func restock(request: Shop_Product_V1_OrderReservationRequest, context: ServerContext) async throws
    -> Shop_Product_V1_ReservationState
  {
    throw RPCError(code: .unimplemented, message: "")
  }

  func joinWaitlist(request: Shop_Product_V1_WaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistEntry
  {
    let created = waitlisted.withLock { $0.insert(request.productID).inserted }
    return .with {
      $0.productID = request.productID
      $0.userID = request.userID
      $0.createdAt = "2026-01-01T00:00:00.000Z"
      $0.created = created
    }
  }

  func leaveWaitlist(request: Shop_Product_V1_WaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistEntry
  {
    _ = waitlisted.withLock { $0.remove(request.productID) }
    return .with { $0.productID = request.productID }
  }

  func listWaitlist(request: Shop_Product_V1_ListWaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistList
  {
    .init()
  }
}
