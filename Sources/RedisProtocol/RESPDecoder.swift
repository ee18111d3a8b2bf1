import NIOCore

/// Decodes RESP3 replies, and the RESP2 forms of them, from a byte stream, one top-level value
/// per call.
///
/// Use it with `ByteToMessageHandler`, or call ``decode(buffer:)`` directly. A value is consumed
/// only once it has arrived completely; until then the decoder returns `nil` and leaves the
/// buffer untouched. An incomplete value is parsed again from its start when more bytes arrive.
/// Blob payloads are skipped by length rather than rescanned, so this only costs noticeably for
/// replies with very many elements that arrive in many reads.
///
/// Every RESP3 type is supported except streamed strings and aggregates (`$?`, `*?` and the
/// like), which Redis servers do not send; they fail with ``RESPParseError/Code/unsupported``.
/// Any error leaves the stream unusable, so the connection must be closed.
public struct RESPDecoder: NIOSingleStepByteToMessageDecoder {
  /// The decoded message type.
  public typealias InboundOut = RESPValue

  /// How many aggregates may be nested inside each other; deeper input fails with
  /// ``RESPParseError/Code/tooDeep``.
  ///
  /// An attribute counts as one level for both its entries and the value it annotates. Parsing
  /// recurses once per level, so very large limits trade safety against stack exhaustion.
  public let maximumDepth: Int
  /// The longest blob, simple string, simple error or big number accepted, in bytes; longer
  /// input fails with ``RESPParseError/Code/tooLarge`` as soon as its length is known.
  public let maximumBlobLength: Int

  /// Creates a decoder; the defaults match Redis's own limit of 512 MiB for a bulk string.
  ///
  /// - Precondition: both limits are zero or more.
  public init(maximumDepth: Int = 64, maximumBlobLength: Int = 512 * 1024 * 1024) {
    precondition(maximumDepth >= 0 && maximumBlobLength >= 0, "RESP decoder limits must not be negative")
    self.maximumDepth = maximumDepth
    self.maximumBlobLength = maximumBlobLength
  }

  /// Decodes the next value, or returns `nil` without moving the reader index if it is incomplete.
  ///
  /// - Throws: ``RESPParseError`` if the bytes are not valid RESP or exceed a limit.
  public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
    let source = buffer
    let decoded = try source.withUnsafeReadableBytes { bytes throws(RESPParseError) -> (RESPValue, Int)? in
      var parser = RESPParser(
        source: source, bytes: bytes, maximumDepth: maximumDepth, maximumBlobLength: maximumBlobLength)
      guard let value = try parser.parseValue(depth: 0) else { return nil }
      return (value, parser.position)
    }
    guard let (value, length) = decoded else { return nil }
    buffer.moveReaderIndex(forwardBy: length)
    return value
  }

  /// Decodes what is left once the input ends or the decoder is removed.
  ///
  /// - Throws: ``RESPParseError`` with code ``RESPParseError/Code/truncated`` if the stream ended
  ///   inside a value. Removing the decoder from a pipeline is deliberate, so partial bytes left
  ///   then are not treated as an error and stay in the buffer.
  public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
    if let value = try decode(buffer: &buffer) {
      return value
    }
    if seenEOF, buffer.readableBytes > 0 {
      throw RESPParseError(code: .truncated, offset: buffer.readableBytes)
    }
    return nil
  }
}
