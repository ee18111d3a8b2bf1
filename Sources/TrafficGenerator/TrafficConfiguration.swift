import Configuration
import Foundation
import ShopConfiguration
import ShopDiscovery

/// Everything `shop traffic` and `shop traffic run` read, with their defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `control.host`, `control.port` | `127.0.0.1`, `3020` | `GET /status`, `PUT /mode`, `/metrics`, `/health` |
/// | `traffic.target` | `http://127.0.0.1:8080` | the edge the virtual users call |
/// | `traffic.users` | `100` | virtual customers, each with an account and a connection of its own |
/// | `traffic.mode`, `traffic.rate` | `pause`, `5` | the mode at start and its sessions per second |
/// | `traffic.burstFactor`, `traffic.burstSeconds`, `traffic.burstIntervalSeconds` | `4`, `5`, `30` | `burst`'s spikes |
/// | `traffic.slo` | `p95<500ms,errors<1%` | what `overload` steers by |
/// | `traffic.mix` | `standard` | `faults` adds the flaky and slow cards to checkouts |
/// | `traffic.thinkScale` | `1` | multiplies the think times (3–10 s) between a session's requests |
/// | `traffic.timeoutMs` | `15000` | a request without an answer this long is a `timeout` error |
/// | `traffic.accountPrefix`, `traffic.accountDomain` | `traffic`, `example.com` | customers are `<prefix>-<n>@<domain>` |
/// | `traffic.password` | `traffic-customer-password` | their password (secret) |
/// | `traffic.supervisorConfig` | none | supervisord's configuration, to ask it which process is which program in a run's report |
/// | `discovery.*` | none | as for a service: with `discovery.etcd` the generator registers its control port, for Prometheus to find |
/// | `admin.email` | `admin@swiftshop.local` | the administrator who ships and delivers |
/// | `admin.password`, `admin.passwordFile` | none | the administrator's password (secret); without it nobody fulfils |
public struct TrafficConfiguration: Sendable {
  public var controlHost: String
  public var controlPort: Int
  public var target: String
  public var users: Int
  public var settings: TrafficSettings
  public var slo: SLO
  public var cards: CardMix
  public var think: ThinkTime
  public var timeout: Duration
  public var accountPrefix: String
  public var accountDomain: String
  public var password: String
  public var adminEmail: String
  public var adminPassword: String?
  public var supervisorConfig: String?
  public var discovery: DiscoveryConfiguration?

  public init(config: ConfigReader) throws {
    controlHost = config.string(forKey: "control.host", default: "127.0.0.1")
    controlPort = config.int(forKey: "control.port", default: 3020)
    target = config.string(forKey: "traffic.target", default: "http://127.0.0.1:8080")
    users = config.int(forKey: "traffic.users", default: 100)
    guard (1...20_000).contains(users) else { throw ConfigurationError("traffic.users must be 1 to 20000") }
    do {
      settings = try TrafficSettings().applying(
        ModeChange(
          mode: config.string(forKey: "traffic.mode", default: "pause"),
          rate: config.double(forKey: "traffic.rate", default: 5),
          burstFactor: config.double(forKey: "traffic.burstFactor", default: 4),
          burstSeconds: config.double(forKey: "traffic.burstSeconds", default: 5),
          burstInterval: config.double(forKey: "traffic.burstIntervalSeconds", default: 30)))
      slo = try SLO(parsing: config.string(forKey: "traffic.slo", default: SLO.standard.description))
    } catch {
      throw ConfigurationError("traffic: \(error.message)")
    }
    switch config.string(forKey: "traffic.mix", default: "standard") {
    case "standard": cards = .standard
    case "faults": cards = .faults
    default: throw ConfigurationError("traffic.mix must be standard or faults")
    }
    let scale = config.double(forKey: "traffic.thinkScale", default: 1)
    guard (0...100).contains(scale) else { throw ConfigurationError("traffic.thinkScale must be 0 to 100") }
    think = ThinkTime.human.scaled(by: scale)
    timeout = .milliseconds(config.int(forKey: "traffic.timeoutMs", default: 15_000))
    accountPrefix = config.string(forKey: "traffic.accountPrefix", default: "traffic")
    accountDomain = config.string(forKey: "traffic.accountDomain", default: "example.com")
    password = config.string(forKey: "traffic.password", isSecret: true, default: "traffic-customer-password")
    supervisorConfig = config.string(forKey: "traffic.supervisorConfig").flatMap { $0.isEmpty ? nil : $0 }
    discovery = DiscoveryConfiguration(config: config)
    adminEmail = config.string(forKey: "admin.email", default: "admin@swiftshop.local")
    if let password = config.string(forKey: "admin.password", isSecret: true), !password.isEmpty {
      adminPassword = password
    } else if let file = config.string(forKey: "admin.passwordFile"), !file.isEmpty {
      guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
        throw ConfigurationError("admin.passwordFile: cannot read \(file)")
      }
      adminPassword = contents.trimmingCharacters(in: .whitespacesAndNewlines)
    } else {
      adminPassword = nil
    }
  }

  /// The `index`th customer's address.
  func email(_ index: Int) -> String { "\(accountPrefix)-\(index)@\(accountDomain)" }
}
