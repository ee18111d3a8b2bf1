import NIOCore

extension AMQPMethod {
  /// Arguments of the `confirm` class (class id 85), a RabbitMQ extension that makes the server
  /// acknowledge every publish on a channel with `basic.ack` or `basic.nack`.
  public enum Confirm {
    /// `confirm.select`: puts the channel in confirm mode, after which publishes are numbered
    /// from 1 and the server confirms them by that number.
    public struct Select: Sendable, Equatable {
      /// Ask the server not to answer with `confirm.select-ok`.
      public var noWait: Bool

      /// Creates the arguments.
      public init(noWait: Bool = false) {
        self.noWait = noWait
      }
    }
  }

  /// Reads the arguments of the `confirm` method numbered `methodID`.
  static func decodeConfirm(methodID: UInt16, from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod {
    switch methodID {
    case 10: return .confirmSelect(try Confirm.Select(from: &buffer))
    case 11: return .confirmSelectOk
    default: throw AMQPProtocolError(.unknownMethod, "confirm method \(methodID)")
    }
  }
}

extension AMQPMethod.Confirm.Select {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    noWait = try buffer.readAMQPBits()[0]
  }

  func encode(into buffer: inout ByteBuffer) {
    buffer.writeInteger(AMQPBits(noWait).octet)
  }
}
