import AMQPProtocol
import Testing

@testable import AMQPClient

@Suite struct AMQPConfigurationTests {
  @Test func readsEveryPartOfAnAMQPURL() throws {
    let configuration = try AMQPConfiguration(
      url: "amqp://shop%40app:p%3Ass@broker.local:5673/orders%2Fv1?heartbeat=15&connection_timeout=3")
    #expect(configuration.username == "shop@app")
    #expect(configuration.password == "p:ss")
    #expect(configuration.host == "broker.local")
    #expect(configuration.port == 5673)
    #expect(configuration.virtualHost == "orders/v1")
    #expect(configuration.heartbeat == .seconds(15))
    #expect(configuration.connectionTimeout == .seconds(3))
    #expect(configuration.tls == nil)
  }

  @Test func defaultsFollowRabbitMQ() throws {
    let plain = try AMQPConfiguration(url: "amqp://")
    #expect(plain.host == "127.0.0.1" && plain.port == 5672)
    #expect(plain.username == "guest" && plain.password == "guest")
    #expect(plain.virtualHost == "/")
    // RabbitMQ advises 5 to 20 s; its own 60 s leaves a frozen broker unnoticed too long.
    #expect(plain.heartbeat == .seconds(10))
    let secure = try AMQPConfiguration(url: "amqps://rabbit/%2F")
    #expect(secure.tls != nil && secure.port == 5671 && secure.virtualHost == "/")
    let ipv6 = try AMQPConfiguration(url: "amqp://[::1]:5700/")
    #expect(ipv6.host == "::1" && ipv6.port == 5700 && ipv6.virtualHost == "/")
  }

  @Test(arguments: [
    "http://host/", "amqp://host:0/", "amqp://host:99999/", "amqp://host/a/b", "amqp://host/?heartbeat=-1",
    "amqp://host/?hearbeat=10", "amqp://us%zzer@host/", "amqp://[::1]x/",
  ])
  func refusesMalformedURLs(_ url: String) {
    #expect { try AMQPConfiguration(url: url) } throws: { ($0 as? AMQPError)?.code == .invalidConfiguration }
  }

  @Test func announcesTheCapabilitiesTheClientHandles() throws {
    var configuration = try AMQPConfiguration(url: "amqp://")
    configuration.connectionName = "orders"
    let properties = configuration.requested.clientProperties
    guard case .table(let capabilities)? = properties["capabilities"] else {
      Issue.record("no capabilities table")
      return
    }
    for name in [
      "publisher_confirms", "consumer_cancel_notify", "connection.blocked", "basic.nack",
      "authentication_failure_close",
    ] {
      #expect(capabilities[name] == AMQPFieldValue.bool(true), "\(name)")
    }
    #expect(properties["connection_name"]?.stringValue == "orders")
  }
}
