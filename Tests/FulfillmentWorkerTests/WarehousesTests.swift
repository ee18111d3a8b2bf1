import ShopConfiguration
import Testing

@testable import FulfillmentWorker

struct WarehousesTests {
  @Test func countriesGoToTheirWarehouseAndTheRestToTheFallback() throws {
    let warehouses = try Warehouses("north=se, NO; west=FR;rest=*")
    #expect(warehouses.warehouse(for: "SE") == "north" && warehouses.warehouse(for: "no") == "north")
    #expect(warehouses.warehouse(for: "FR") == "west")
    #expect(warehouses.warehouse(for: "JP") == "rest")
    #expect(try Warehouses().warehouse(for: "DE") == "eu-central")
  }

  @Test func aSpecificationWithoutFallbackOrWithACountryTwiceIsRefused() {
    #expect(throws: ConfigurationError.self) { try Warehouses("north=SE") }
    #expect(throws: ConfigurationError.self) { try Warehouses("a=SE;b=SE;c=*") }
    #expect(throws: ConfigurationError.self) { try Warehouses("a;b=*") }
  }
}
