import NIOCore

extension AMQPMethod {
  /// Arguments of the `channel` class (class id 20), whose methods open, pause and close
  /// channels.
  public enum Channel {
    /// The arguments of both `channel.flow`, asking the peer to pause or resume sending content,
    /// and `channel.flow-ok`, confirming the new state.
    ///
    /// RabbitMQ does not honour flow requests from clients and never sends them itself; it
    /// throttles publishers with TCP back-pressure and `connection.blocked` instead.
    public struct Flow: Sendable, Equatable {
      /// Whether content may flow: `false` pauses, `true` resumes.
      public var active: Bool

      /// Creates the arguments.
      public init(active: Bool) {
        self.active = active
      }
    }

    /// `channel.close`: one peer closing a channel, either normally or because of an error,
    /// such as declaring an exchange that exists with other settings (reply code 406).
    public struct Close: Sendable, Equatable {
      /// The reply code, such as 200 for a normal close or 404 for a missing queue.
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
  }

  /// Reads the arguments of the `channel` method numbered `methodID`.
  static func decodeChannel(methodID: UInt16, from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod {
    switch methodID {
    case 10:
      // The reserved out-of-band string carries nothing in 0-9-1.
      _ = try buffer.readAMQPShortString()
      return .channelOpen
    case 11:
      // The reserved channel id is an empty long string from RabbitMQ.
      _ = try buffer.readAMQPLengthPrefixedSlice()
      return .channelOpenOk
    case 20: return .channelFlow(try Channel.Flow(from: &buffer))
    case 21: return .channelFlowOk(try Channel.Flow(from: &buffer))
    case 40: return .channelClose(try Channel.Close(from: &buffer))
    case 41: return .channelCloseOk
    default: throw AMQPProtocolError(.unknownMethod, "channel method \(methodID)")
    }
  }
}

extension AMQPMethod.Channel.Flow {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    active = try buffer.readAMQPBits()[0]
  }

  func encode(into buffer: inout ByteBuffer) {
    buffer.writeInteger(AMQPBits(active).octet)
  }
}

extension AMQPMethod.Channel.Close {
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
