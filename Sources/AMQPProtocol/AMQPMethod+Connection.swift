import NIOCore

extension AMQPMethod {
  /// Arguments of the `connection` class (class id 10), whose methods open, tune and close a
  /// connection and always travel on channel 0.
  public enum Connection {
    /// `connection.start`: the server's first method, offering a protocol version, security
    /// mechanisms and locales.
    public struct Start: Sendable, Equatable {
      /// The protocol major version the server speaks; 0 for 0-9-1.
      public var versionMajor: UInt8
      /// The protocol minor version the server speaks; 9 for 0-9-1.
      public var versionMinor: UInt8
      /// The server's product, version, platform and, in `capabilities`, the protocol
      /// extensions it supports.
      public var serverProperties: AMQPTable
      /// The SASL mechanisms the server accepts, separated by spaces, such as `PLAIN AMQPLAIN`.
      public var mechanisms: String
      /// The message locales the server supports, separated by spaces.
      public var locales: String

      /// Creates the arguments.
      public init(
        versionMajor: UInt8 = 0, versionMinor: UInt8 = 9, serverProperties: AMQPTable = [:],
        mechanisms: String = "PLAIN", locales: String = "en_US"
      ) {
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.serverProperties = serverProperties
        self.mechanisms = mechanisms
        self.locales = locales
      }
    }

    /// `connection.start-ok`: the client's choice of mechanism and locale, with its initial
    /// SASL response.
    public struct StartOk: Sendable, Equatable {
      /// The client's product, version, platform and, in `capabilities`, the protocol
      /// extensions it supports, such as `publisher_confirms` and `consumer_cancel_notify`.
      public var clientProperties: AMQPTable
      /// The chosen SASL mechanism, one of those the server offered.
      public var mechanism: String
      /// The SASL response; for `PLAIN`, a zero byte, the user name, a zero byte and the
      /// password.
      public var response: [UInt8]
      /// The chosen locale, one of those the server offered.
      public var locale: String

      /// Creates the arguments.
      public init(clientProperties: AMQPTable = [:], mechanism: String, response: [UInt8], locale: String = "en_US") {
        self.clientProperties = clientProperties
        self.mechanism = mechanism
        self.response = response
        self.locale = locale
      }
    }

    /// `connection.secure`: a SASL challenge from the server.
    public struct Secure: Sendable, Equatable {
      /// The challenge, opaque to the protocol.
      public var challenge: [UInt8]

      /// Creates the arguments.
      public init(challenge: [UInt8]) {
        self.challenge = challenge
      }
    }

    /// `connection.secure-ok`: the client's answer to a SASL challenge.
    public struct SecureOk: Sendable, Equatable {
      /// The response, opaque to the protocol.
      public var response: [UInt8]

      /// Creates the arguments.
      public init(response: [UInt8]) {
        self.response = response
      }
    }

    /// The arguments of both `connection.tune`, the server's proposed limits, and
    /// `connection.tune-ok`, the limits the client settles on.
    ///
    /// For each limit 0 means "no limit"; the client may lower but not raise the server's
    /// non-zero values.
    public struct Tune: Sendable, Equatable {
      /// The highest channel number that may be used.
      public var channelMax: UInt16
      /// The largest frame, in bytes, header and frame end included.
      public var frameMax: UInt32
      /// The heartbeat interval in seconds; 0 turns heartbeats off.
      public var heartbeat: UInt16

      /// Creates the arguments.
      public init(channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16) {
        self.channelMax = channelMax
        self.frameMax = frameMax
        self.heartbeat = heartbeat
      }
    }

    /// `connection.open`: selects the virtual host, completing the handshake.
    public struct Open: Sendable, Equatable {
      /// The virtual host's name, such as `/`.
      public var virtualHost: String

      /// Creates the arguments.
      public init(virtualHost: String = "/") {
        self.virtualHost = virtualHost
      }
    }

    /// `connection.close`: one peer closing the connection, either normally or because of an
    /// error in a method it received.
    public struct Close: Sendable, Equatable {
      /// The reply code, such as 200 for a normal close or 320 when the server is shutting down.
      public var replyCode: UInt16
      /// A description of the reason, for people.
      public var replyText: String
      /// The class of the method that caused the close, or 0.
      public var classID: UInt16
      /// The id of the method that caused the close, or 0.
      public var methodID: UInt16

      /// Creates the arguments.
      public init(replyCode: UInt16, replyText: String, classID: UInt16 = 0, methodID: UInt16 = 0) {
        self.replyCode = replyCode
        self.replyText = replyText
        self.classID = classID
        self.methodID = methodID
      }
    }

    /// `connection.blocked`: the server has stopped reading from publishing connections, usually
    /// because of a memory or disk alarm. Sent only to clients announcing the
    /// `connection.blocked` capability.
    public struct Blocked: Sendable, Equatable {
      /// Why the server is blocking, for people.
      public var reason: String

      /// Creates the arguments.
      public init(reason: String) {
        self.reason = reason
      }
    }

    /// `connection.update-secret`: a RabbitMQ extension that replaces the credentials of an open
    /// connection, such as an expiring OAuth 2 token.
    public struct UpdateSecret: Sendable, Equatable {
      /// The new secret, opaque to the protocol.
      public var newSecret: [UInt8]
      /// Why the secret is being updated, for logs.
      public var reason: String

      /// Creates the arguments.
      public init(newSecret: [UInt8], reason: String) {
        self.newSecret = newSecret
        self.reason = reason
      }
    }
  }

  /// Reads the arguments of the `connection` method numbered `methodID`.
  static func decodeConnection(methodID: UInt16, from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod
  {
    switch methodID {
    case 10: return .connectionStart(try Connection.Start(from: &buffer))
    case 11: return .connectionStartOk(try Connection.StartOk(from: &buffer))
    case 20: return .connectionSecure(try Connection.Secure(from: &buffer))
    case 21: return .connectionSecureOk(try Connection.SecureOk(from: &buffer))
    case 30: return .connectionTune(try Connection.Tune(from: &buffer))
    case 31: return .connectionTuneOk(try Connection.Tune(from: &buffer))
    case 40: return .connectionOpen(try Connection.Open(from: &buffer))
    case 41:
      _ = try buffer.readAMQPShortString()
      return .connectionOpenOk
    case 50: return .connectionClose(try Connection.Close(from: &buffer))
    case 51: return .connectionCloseOk
    case 60: return .connectionBlocked(try Connection.Blocked(from: &buffer))
    case 61: return .connectionUnblocked
    case 70: return .connectionUpdateSecret(try Connection.UpdateSecret(from: &buffer))
    case 71: return .connectionUpdateSecretOk
    default: throw AMQPProtocolError(.unknownMethod, "connection method \(methodID)")
    }
  }
}

extension AMQPMethod.Connection.Start {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    versionMajor = try buffer.readAMQPInteger()
    versionMinor = try buffer.readAMQPInteger()
    serverProperties = try AMQPTable.decode(from: &buffer)
    mechanisms = try buffer.readAMQPLongStringText()
    locales = try buffer.readAMQPLongStringText()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(versionMajor)
    buffer.writeInteger(versionMinor)
    try serverProperties.encode(into: &buffer)
    try buffer.writeAMQPLongString(mechanisms)
    try buffer.writeAMQPLongString(locales)
  }
}

extension AMQPMethod.Connection.StartOk {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    clientProperties = try AMQPTable.decode(from: &buffer)
    mechanism = try buffer.readAMQPShortString()
    response = try buffer.readAMQPLongString()
    locale = try buffer.readAMQPShortString()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try clientProperties.encode(into: &buffer)
    try buffer.writeAMQPShortString(mechanism)
    try buffer.writeAMQPLongString(response)
    try buffer.writeAMQPShortString(locale)
  }
}

extension AMQPMethod.Connection.Secure {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    challenge = try buffer.readAMQPLongString()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPLongString(challenge)
  }
}

extension AMQPMethod.Connection.SecureOk {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    response = try buffer.readAMQPLongString()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPLongString(response)
  }
}

extension AMQPMethod.Connection.Tune {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    channelMax = try buffer.readAMQPInteger()
    frameMax = try buffer.readAMQPInteger()
    heartbeat = try buffer.readAMQPInteger()
  }

  func encode(into buffer: inout ByteBuffer) {
    buffer.writeInteger(channelMax)
    buffer.writeInteger(frameMax)
    buffer.writeInteger(heartbeat)
  }
}

extension AMQPMethod.Connection.Open {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    virtualHost = try buffer.readAMQPShortString()
    // The reserved capabilities string and insist bit carry nothing in 0-9-1.
    _ = try buffer.readAMQPShortString()
    _ = try buffer.readAMQPBits()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPShortString(virtualHost)
    try buffer.writeAMQPShortString("")
    buffer.writeInteger(UInt8(0))
  }
}

extension AMQPMethod.Connection.Close {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    replyCode = try buffer.readAMQPInteger()
    replyText = try buffer.readAMQPShortString()
    classID = try buffer.readAMQPInteger()
    methodID = try buffer.readAMQPInteger()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(replyCode)
    try buffer.writeAMQPShortString(replyText)
    buffer.writeInteger(classID)
    buffer.writeInteger(methodID)
  }
}

extension AMQPMethod.Connection.Blocked {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    reason = try buffer.readAMQPShortString()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPShortString(reason)
  }
}

extension AMQPMethod.Connection.UpdateSecret {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    newSecret = try buffer.readAMQPLongString()
    reason = try buffer.readAMQPShortString()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPLongString(newSecret)
    try buffer.writeAMQPShortString(reason)
  }
}
