import Foundation
import Testing

@testable import ShopDiscovery

@Suite struct ServiceRecordTests {
  @Test func theRecordIsJSONUnderItsRoleAndInstance() throws {
    let record = ServiceRecord(
      role: "order", instance: "order-2", address: "127.0.0.1", port: 50063, adminPort: 3013, version: "1.2.0",
      startedAt: Date(timeIntervalSince1970: 1_800_000_000), serving: true)
    #expect(record.key == "/swiftshop/services/order/order-2")
    #expect(ServiceRecord.prefix(role: "order") == "/swiftshop/services/order/")
    let json = try #require(JSONSerialization.jsonObject(with: Data(record.encoded())) as? [String: Any])
    #expect(
      Set(json.keys) == ["role", "instance", "address", "port", "admin_port", "version", "started_at", "serving"])
    #expect(json["started_at"] as? String == "2027-01-15T08:00:00Z")
    #expect(ServiceRecord.decode(record.encoded()) == record)
  }

  @Test func aValueThatIsNotARecordDecodesToNothing() {
    #expect(ServiceRecord.decode(Array("{\"role\": \"order\"}".utf8)) == nil)
    #expect(ServiceRecord.decode([]) == nil)
  }
}
