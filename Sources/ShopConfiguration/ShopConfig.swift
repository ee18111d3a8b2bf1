import Configuration
import Foundation

/// Builds the one configuration reader a process uses: command-line options first, then
/// environment variables, then the defaults each component passes where it reads a key.
///
/// A key such as `database.maxConnections` is `--database-max-connections` on the command
/// line and `SHOP_DATABASE_MAX_CONNECTIONS` in the environment. Only variables starting with
/// `SHOP_` are read, so the environment of the machine cannot leak in by accident.
public enum ShopConfig {
  public static let environmentPrefix = "SHOP_"

  public static func reader(
    arguments: [String] = [],
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> ConfigReader {
    var stripped: [String: String] = [:]
    for (name, value) in environment where name.hasPrefix(environmentPrefix) {
      stripped[String(name.dropFirst(environmentPrefix.count))] = value
    }
    let secrets = SecretsSpecifier<String, String>.dynamic { key, _ in
      let k = key.lowercased()
      return k.contains("password") || k.contains("secret") || k.contains("signing") || k.hasSuffix("key")
    }
    return ConfigReader(providers: [
      CommandLineArgumentsProvider(arguments: ["shop"] + arguments, secretsSpecifier: secrets),
      EnvironmentVariablesProvider(environmentVariables: stripped, secretsSpecifier: secrets),
    ])
  }
}
