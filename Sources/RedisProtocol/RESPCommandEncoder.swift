import NIOCore

/// Encodes commands as the RESP array of bulk strings that Redis reads.
///
/// The encoder appends to the buffer it is given, so one buffer can be reused for every command
/// (clear it between writes) or filled with several commands to pipeline them in one write.
public struct RESPCommandEncoder: Sendable {
  /// Creates an encoder.
  public init() {}

  /// Appends `arguments`, the command name first, to `buffer` as `*N\r\n` followed by one
  /// `$len\r\nbytes\r\n` per argument.
  ///
  /// The buffer grows at most once per command, because the exact size is computed up front.
  public mutating func encode(_ arguments: [RESPArgument], into buffer: inout ByteBuffer) {
    var total = 1 + ByteBuffer.decimalLength(of: Int64(arguments.count)) + 2
    for argument in arguments {
      let count = argument.byteCount
      total += 1 + ByteBuffer.decimalLength(of: Int64(count)) + 2 + count + 2
    }
    buffer.reserveCapacity(minimumWritableBytes: total)

    buffer.writeRESPHeader(UInt8(ascii: "*"), arguments.count)
    for argument in arguments {
      buffer.writeRESPHeader(UInt8(ascii: "$"), argument.byteCount)
      argument.writePayload(into: &buffer)
      buffer.writeRESPLineEnd()
    }
  }
}
