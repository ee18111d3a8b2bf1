import AMQPProtocol
import Foundation
import Logging
import NIOCore
import NIOSSL
import ShopTestSupport
import Testing

@testable import AMQPClient

extension AMQPClientIntegrationTests {
  static func tlsConfiguration(trustingLocalCA: Bool) throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: Infra.amqpsURL + "?connection_timeout=10000")
    configuration.connectionName = "swiftshop-tests-tls"
    configuration.automaticRecovery = false
    if trustingLocalCA { configuration.tls?.trustRoots = .file(Infra.amqpsCAFile) }
    return configuration
  }

  @Test func amqpsCarriesConfirmedMessagesWhenTheBrokersCertificateIsTrusted() async throws {
    let configuration = try Self.tlsConfiguration(trustingLocalCA: true)
    #expect(configuration.port == 5671 && configuration.tls != nil)
    let queue = prefix + "tls"
    try await ServerLock.broker.steady {
      try await withDeadline(.seconds(60)) {
        let connection = AMQPConnection(configuration: configuration, logger: Logger(label: "test.amqp.tls"))
        try await AMQPConnection.withRunning(connection) {
          let channel = try await connection.openChannel()
          try await channel.confirmSelect()
          try await channel.queueDeclare(queue, durable: false, autoDelete: false)
          let body = ByteBuffer(repeating: 42, count: 300_000)  // several frames and TLS records
          try await channel.publish(body, routingKey: queue, properties: Self.persistent(id: 1))
          let delivery = try await channel.get(queue: queue, noAck: true)
          #expect(delivery?.body == body)
          #expect(delivery?.properties.messageID == "1")
          try await channel.queueDelete(queue)
        }
      }
    }
  }

  @Test func amqpsRefusesABrokerWhoseCertificateIsNotTrusted() async throws {
    // The system's roots do not include the local CA.
    let configuration = try Self.tlsConfiguration(trustingLocalCA: false)
    try await ServerLock.broker.steady {
      try await withDeadline(.seconds(60)) {
        let connection = AMQPConnection(configuration: configuration, logger: Logger(label: "test.amqp.tls"))
        await #expect {
          try await connection.run()
        } throws: { error in
          (error as? AMQPError)?.code == .connectionFailed
        }
      }
    }
  }
}
