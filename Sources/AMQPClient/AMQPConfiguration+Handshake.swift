import AMQPProtocol

extension AMQPConfiguration {
  /// What the handshake asks the broker for.
  var requested: AMQPConnectionStateMachine.Requested {
    var properties: AMQPTable = [
      "product": "SwiftShop AMQPClient",
      "platform": "Swift",
      "version": "1.0",
      "capabilities": .table([
        "publisher_confirms": true, "consumer_cancel_notify": true, "connection.blocked": true, "basic.nack": true,
        "authentication_failure_close": true, "exchange_exchange_bindings": true, "per_consumer_qos": true,
      ]),
    ]
    if let connectionName { properties.append(key: "connection_name", value: .string(connectionName)) }
    return AMQPConnectionStateMachine.Requested(
      username: username, password: password, virtualHost: virtualHost, clientProperties: properties,
      channelMax: channelMax, frameMax: frameMax,
      heartbeat: UInt16(clamping: heartbeat.components.seconds))
  }
}
