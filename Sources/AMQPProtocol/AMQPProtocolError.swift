/// Why bytes could not be decoded as AMQP 0-9-1, or a value could not be encoded.
///
/// A decoding error means the stream is out of sync with the server: nothing after the offending
/// frame can be trusted, so the caller must close the connection (the specification asks for a
/// `connection.close` with reply code 501, frame-error, or 502, syntax-error, where possible).
/// An encoding error leaves the output buffer exactly as it was before the call.
public struct AMQPProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kind of problem; the cases are stable and safe to switch over.
  public enum Code: Sendable, Hashable {
    /// The frame type octet is not 1 (method), 2 (header), 3 (body) or 8 (heartbeat).
    case unknownFrameType
    /// The octet after the payload is not the frame end, 0xCE.
    case invalidFrameEnd
    /// A frame is larger than the negotiated maximum frame size, header and frame end included.
    case frameTooLarge
    /// The peer sent a protocol header instead of a frame, which is how a server rejects the
    /// protocol version the client asked for before closing the socket.
    case protocolHeaderReceived
    /// A heartbeat frame is on a channel other than 0 or has a payload.
    case invalidHeartbeat
    /// A method or content header names a class this library does not know.
    case unknownClass
    /// A method names a method id its class does not define.
    case unknownMethod
    /// A payload ends before all of its arguments, properties or table entries.
    case truncatedPayload
    /// A payload continues after its last argument or property.
    case trailingBytes
    /// A field table or array holds a value whose type octet is not a known field type.
    case unknownFieldType
    /// Field tables and arrays are nested deeper than ``AMQPTable/maximumNestingDepth``.
    case nestingTooDeep
    /// A content header sets property flags that the class does not define.
    case invalidPropertyFlags
    /// A short string, such as a queue name or a table key, is longer than 255 bytes of UTF-8.
    case shortStringTooLong
    /// A long string, byte array, table, array or frame payload is longer than a 32-bit length
    /// can describe.
    case valueTooLong
  }

  /// The kind of problem.
  public var code: Code
  /// What was being read or written, for logs; the wording is not stable.
  public var detail: String

  /// Creates an error.
  public init(_ code: Code, _ detail: String = "") {
    self.code = code
    self.detail = detail
  }

  /// A short text naming the code and the detail, for logs.
  public var description: String {
    detail.isEmpty ? "AMQPProtocolError(\(code))" : "AMQPProtocolError(\(code): \(detail))"
  }
}
