import Foundation
import GRPCCore
import Logging
import ShopContracts
import ShopPersistence
import ShopRPC
import ShopTestSupport
import Testing

@testable import ProductService

/// Only an administrator changes the catalog, and only the order service holds stock.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct ProductRPCServiceAccessTests {
  @Test func aCustomerCannotAdjustStockAndOnlyTheOrderServiceReserves() async throws {
    try await TestDatabase.with(
      migrations: try ProductServiceDeclaration.migrations(),
      clientConfiguration: { ProductServiceDeclaration.searchSettings($0.clientConfiguration()) }
    ) { client, _ in
      let catalog = ProductCatalog(store: PostgresProductStore(client: client, logger: Logger(label: "test")))
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await catalog.createProduct(
        sku: "LAMP-1", name: "Lamp", description: "A lamp.", priceAmount: 1999, currency: "usd",
        categoryID: category.id.uuidString, initialStock: 5)
      try await InProcessRPC.withServer(
        services: [ProductRPCService(catalog: catalog)], policy: ProductRPCService<PostgresProductStore>.accessPolicy,
        verifyToken: { token in CallerIdentity(userID: UUID().uuidString, role: token, token: token) }
      ) { grpc in
        let products = Shop_Product_V1_ProductService.Client(wrapping: grpc)
        var adjust = Shop_Product_V1_AdjustInventoryRequest()
        adjust.productID = lamp.id.uuidString
        adjust.delta = 10
        adjust.reason = "restock"
        let customer = InProcessRPC.caller("gateway", token: "customer")
        #expect(
          await InProcessRPC.code { _ = try await products.adjustInventory(adjust, metadata: customer) }
            == .permissionDenied)
        let admin = InProcessRPC.caller("gateway", token: "admin")
        let adjusted = try await products.adjustInventory(adjust, metadata: admin)
        #expect(adjusted.available == 15)

        var reserve = Shop_Product_V1_ReserveRequest()
        reserve.orderID = UUID().uuidString
        var line = Shop_Product_V1_ReservationLine()
        line.productID = lamp.id.uuidString
        line.quantity = 2
        reserve.lines = [line]
        for caller in ["gateway", "notification"] {
          #expect(
            await InProcessRPC.code {
              _ = try await products.reserve(reserve, metadata: InProcessRPC.caller(caller, token: "admin"))
            }
              == .permissionDenied, "\(caller) may not reserve")
        }
        let held = try await products.reserve(reserve, metadata: InProcessRPC.caller("order"))
        let after = try await catalog.product(id: lamp.id.uuidString)
        #expect(held.status == "held" && after.reserved == 2)

        var order = Shop_Product_V1_OrderReservationRequest()
        order.orderID = reserve.orderID
        #expect(
          await InProcessRPC.code {
            _ = try await products.restock(order, metadata: InProcessRPC.caller("gateway", token: "admin"))
          } == .permissionDenied, "only the order service gives stock back")
        #expect(try await products.restock(order, metadata: InProcessRPC.caller("order")).status == "released")
      }
    }
  }
}
