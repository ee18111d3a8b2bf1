import NIOCore

/// One AMQP 0-9-1 frame with its payload decoded.
///
/// On the wire every frame is a type octet, a 16-bit channel number, a 32-bit payload size, the
/// payload and the frame-end octet 0xCE. A message travels as a method frame (such as
/// `basic.deliver`), one content header frame and as many body frames as its size needs, all on
/// the same channel; reassembling them is left to the channel layer.
public enum AMQPFrame: Sendable, Equatable {
  /// A method and its arguments.
  case method(channel: UInt16, AMQPMethod)
  /// The header that follows a content-carrying method, announcing the body's size and the
  /// message properties.
  case header(channel: UInt16, AMQPContentHeader)
  /// A piece of a message body.
  case body(channel: UInt16, ByteBuffer)
  /// A heartbeat, which always travels on channel 0 without payload.
  case heartbeat

  /// The frame type octet.
  public enum Kind: UInt8, Sendable, Hashable {
    /// A method frame.
    case method = 1
    /// A content header frame.
    case header = 2
    /// A content body frame.
    case body = 3
    /// A heartbeat frame.
    case heartbeat = 8
  }

  /// The octet that terminates every frame; anything else means the stream is out of sync.
  public static let frameEnd: UInt8 = 0xCE

  /// The bytes of the type, channel and size fields that precede the payload.
  public static let headerSize = 7

  /// The bytes a frame adds around its payload: the header fields and the frame end.
  public static let overhead = 8

  /// The smallest `frame-max` a peer may negotiate; frames sent before `connection.tune-ok`
  /// must not be larger.
  public static let minimumFrameSize: UInt32 = 4096

  /// The bytes a client sends first, `AMQP` followed by 0, 0, 9, 1, to ask for protocol 0-9-1.
  ///
  /// A server that does not speak that version answers with its own header and closes the
  /// connection; ``AMQPFrameDecoder`` reports that as
  /// ``AMQPProtocolError/Code/protocolHeaderReceived``.
  public static let protocolHeader: [UInt8] = [
    UInt8(ascii: "A"), UInt8(ascii: "M"), UInt8(ascii: "Q"), UInt8(ascii: "P"), 0, 0, 9, 1,
  ]

  /// The type of the frame.
  public var kind: Kind {
    switch self {
    case .method: .method
    case .header: .header
    case .body: .body
    case .heartbeat: .heartbeat
    }
  }

  /// The channel the frame travels on; 0 for heartbeats and `connection` methods.
  public var channel: UInt16 {
    switch self {
    case .method(let channel, _), .header(let channel, _), .body(let channel, _): channel
    case .heartbeat: 0
    }
  }
}
