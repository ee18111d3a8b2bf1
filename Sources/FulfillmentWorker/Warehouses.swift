import Foundation
import ShopConfiguration

/// Which warehouse ships to which countries, from `fulfillment.warehouses`:
/// `name=CC,CC;name=CC;fallback=*`. A country no warehouse names goes to the one marked `*`.
public struct Warehouses: Sendable, Equatable {
  public private(set) var byCountry: [String: String]
  public private(set) var fallback: String

  public static let standard =
    "eu-central=AT,BE,CH,CZ,DE,DK,ES,FR,IT,LU,NL,PL,PT;eu-north=EE,FI,LT,LV,NO,SE;uk=GB,IE;us-east=CA,MX,US;global=*"

  public init(_ specification: String = Self.standard) throws(ConfigurationError) {
    var byCountry: [String: String] = [:]
    var fallback: String?
    for part in specification.split(separator: ";") {
      let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
        throw ConfigurationError("fulfillment.warehouses: '\(part)' is not name=CC,CC or name=*")
      }
      for country in pair[1].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).uppercased() }) {
        if country == "*" {
          fallback = pair[0]
        } else if byCountry.updateValue(pair[0], forKey: country) != nil {
          throw ConfigurationError("fulfillment.warehouses names the country \(country) twice")
        }
      }
    }
    guard let fallback else { throw ConfigurationError("fulfillment.warehouses needs one warehouse for '*'") }
    self.byCountry = byCountry
    self.fallback = fallback
  }

  public func warehouse(for country: String) -> String {
    byCountry[country.uppercased()] ?? fallback
  }
}
