import Foundation
import Testing

@testable import ShopDiscovery

@Suite struct ScrapeTargetsTests {
  static func record(_ role: String, _ instance: String, adminPort: Int, serving: Bool = true) -> ServiceRecord {
    ServiceRecord(
      role: role, instance: instance, address: "127.0.0.1", port: adminPort + 40_000, adminPort: adminPort,
      version: "1.0.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000), serving: serving)
  }

  @Test func eachInstanceIsItsAdminListenerLabelledWithItsRoleAndName() {
    let targets = ScrapeTargets([
      Self.record("product", "product-2", adminPort: 3012), Self.record("user", "user", adminPort: 3001),
      Self.record("product", "product", adminPort: 3002),
    ])
    #expect(targets.groups.map(\.targets) == [["127.0.0.1:3001"], ["127.0.0.1:3002"], ["127.0.0.1:3012"]])
    #expect(
      targets.groups.map(\.labels) == [
        ["service": "user", "program": "user"], ["service": "product", "program": "product"],
        ["service": "product", "program": "product-2"],
      ])
  }

  @Test func anInstanceThatIsNotServingIsStillScraped() {
    let targets = ScrapeTargets([Self.record("order", "order", adminPort: 3003, serving: false)])
    #expect(targets.groups.map(\.targets) == [["127.0.0.1:3003"]])
  }

  @Test func aListenerRegisteredTwiceIsOneTarget() {
    let targets = ScrapeTargets([
      Self.record("gateway", "gateway-1", adminPort: 8081), Self.record("gateway", "gateway-1", adminPort: 8081),
    ])
    #expect(targets.groups.count == 1)
  }

  @Test func theFileIsAJSONArrayOfTargetGroupsAsFileSDReadsIt() throws {
    let data = ScrapeTargets([Self.record("user", "user", adminPort: 3001)]).encoded()
    let decoded = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    #expect(decoded.count == 1)
    #expect(decoded[0]["targets"] as? [String] == ["127.0.0.1:3001"])
    #expect(decoded[0]["labels"] as? [String: String] == ["service": "user", "program": "user"])
    let none = try JSONSerialization.jsonObject(with: ScrapeTargets([ServiceRecord]()).encoded()) as? [Any]
    #expect(none?.isEmpty == true)
  }
}
