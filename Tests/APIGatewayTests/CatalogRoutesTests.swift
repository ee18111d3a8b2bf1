import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ShopAuth
import ShopContracts
import Synchronization
import Testing

@testable import APIGateway

/// The catalog routes in process: each request becomes the right product-service call, and
/// each answer the body and status of API.md.
@Suite struct CatalogRoutesTests {
  typealias Gateway = GatewayRouterTests

  static func bearer(_ fake: FakeUserService, role: String) async throws -> HTTPFields {
    [
      .authorization: "Bearer \(try await fake.issuer.issue(subject: fake.user, role: role))",
      .contentType: "application/json",
    ]
  }

  @Test func theCategoryTreeAndAProductAreTranslatedIntoAPIBodies() async throws {
    try await Gateway.withGateway { client, _ in
      try await client.execute(uri: "/api/v1/categories", method: .get) { response in
        #expect(response.status == .ok)
        let items = try #require(try Gateway.json(response.body)["items"] as? [[String: Any]])
        #expect(items.first?["slug"] as? String == "home")
        let children = try #require(items.first?["children"] as? [[String: Any]])
        #expect(children.first?["parent_id"] as? String == "c1")
      }
      try await client.execute(uri: "/api/v1/products/\(FakeProductService.lamp)", method: .get) { response in
        #expect(response.status == .ok)
        let product = try Gateway.json(response.body)
        #expect(product["stock_status"] as? String == "low_stock" && product["available"] as? Int == 3)
        #expect((product["price"] as? [String: Any])?["amount"] as? Int == 1999)
      }
      try await client.execute(uri: "/api/v1/products/\(UUID())", method: .get) { response in
        #expect(response.status == .notFound && Gateway.code(response.body) == "not_found")
      }
    }
  }

  @Test func aSearchPassesEveryFilterAndRefusesBadOnes() async throws {
    let products = FakeProductService()
    try await Gateway.withGateway(products: products) { client, _ in
      try await client.execute(
        uri:
          "/api/v1/products?q=lamp&category=c1&min_price=100&max_price=5000&in_stock=true&sort=price_asc&limit=5&cursor=abc",
        method: .get
      ) { response in
        #expect(response.status == .ok)
        let body = try Gateway.json(response.body)
        #expect(body["next_cursor"] as? String == "next")
        #expect((body["items"] as? [[String: Any]])?.count == 1)
      }
      let search = try #require(products.lastSearch.withLock { $0 })
      #expect(search.query == "lamp" && search.categoryID == "c1" && search.minPrice == 100 && search.maxPrice == 5000)
      #expect(search.inStock && search.sort == "price_asc" && search.limit == 5 && search.cursor == "abc")
      let bad = [
        "limit=101", "limit=0", "min_price=cheap", "min_price=", "in_stock=maybe", "in_stock=1", "category=", "sort=",
      ]
      for bad in bad {
        try await client.execute(uri: "/api/v1/products?\(bad)", method: .get) { response in
          #expect(response.status == .badRequest, "\(bad)")
          #expect(Gateway.code(response.body) == "validation_failed")
        }
      }
    }
  }

  @Test func writesAreForAdminsAndAnswerAsAPIMdSays() async throws {
    try await Gateway.withGateway { client, fake in
      let customer = try await Self.bearer(fake, role: "customer")
      let admin = try await Self.bearer(fake, role: "admin")
      let create = ByteBuffer(
        string:
          #"{"sku":"LAMP-1","name":"Desk Lamp","price":{"amount":1999,"currency":"USD"},"category_id":"c1","initial_stock":3}"#
      )
      try await client.execute(uri: "/api/v1/products", method: .post, headers: customer, body: create) { response in
        #expect(response.status == .forbidden && Gateway.code(response.body) == "forbidden")
      }
      try await client.execute(uri: "/api/v1/products", method: .post, body: create) { response in
        #expect(response.status == .unauthorized)
      }
      try await client.execute(uri: "/api/v1/products", method: .post, headers: admin, body: create) { response in
        #expect(response.status == .created)
      }
      let taken = ByteBuffer(
        string: #"{"sku":"TAKEN","name":"Lamp","price":{"amount":1,"currency":"USD"},"category_id":"c1"}"#)
      try await client.execute(uri: "/api/v1/products", method: .post, headers: admin, body: taken) { response in
        #expect(response.status == .conflict && Gateway.code(response.body) == "sku_taken")
      }
      let adjustments = "/api/v1/products/\(FakeProductService.lamp)/inventory/adjustments"
      try await client.execute(
        uri: adjustments, method: .post, headers: admin, body: ByteBuffer(string: #"{"delta":5,"reason":"restock"}"#)
      ) { response in
        #expect(response.status == .ok)
        let level = try Gateway.json(response.body)
        #expect(level["on_hand"] as? Int == 15 && level["reserved"] as? Int == 2 && level["available"] as? Int == 13)
      }
      try await client.execute(
        uri: adjustments, method: .post, headers: admin, body: ByteBuffer(string: #"{"delta":-50,"reason":"loss"}"#)
      ) { response in
        #expect(response.status == .conflict && Gateway.code(response.body) == "insufficient_stock")
      }
    }
  }

  @Test func joiningAWaitlistIs201ThenAgain200AndLeavingIs204() async throws {
    try await Gateway.withGateway { client, fake in
      let customer = try await Self.bearer(fake, role: "customer")
      let waitlist = "/api/v1/products/\(FakeProductService.lamp)/waitlist"
      try await client.execute(uri: waitlist, method: .post, headers: customer) { response in
        #expect(response.status == .created)
      }
      try await client.execute(uri: waitlist, method: .post, headers: customer) { response in
        #expect(response.status == .ok)
      }
      try await client.execute(uri: waitlist, method: .delete, headers: customer) { response in
        #expect(response.status == .noContent)
      }
      try await client.execute(uri: waitlist, method: .delete) { response in
        #expect(response.status == .unauthorized)
      }
    }
  }
}
