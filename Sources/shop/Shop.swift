import ArgumentParser

/// `shop`: one executable for every role of SwiftShop.
@main
struct Shop: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shop",
    abstract: "SwiftShop: a distributed e-commerce backend.",
    discussion: """
      Options after the subcommand's arguments are configuration keys (--http-port 8081);
      the same keys are read from SHOP_* environment variables (SHOP_HTTP_PORT=8081).
      """,
    subcommands: [
      Serve.self, Migrate.self, Seed.self, Events.self, DeadLetters.self, Fulfillment.self, Discovery.self,
      Traffic.self, Logs.self,
    ]
  )
}
