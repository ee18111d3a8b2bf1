/// Why a byte stream could not be decoded as RESP.
///
/// Once the decoder throws, the connection is out of sync with the server: nothing after the
/// offending bytes can be trusted, so the caller must close the connection.
public struct RESPParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of problem; the cases are stable and safe to switch over.
  public enum Code: Sendable, Hashable {
    /// The first byte of a value is not a RESP type marker.
    case invalidType
    /// An aggregate or blob length is not a decimal number, or is negative other than `-1`.
    case invalidLength
    /// A line is not terminated by `\r\n`, or a blob is not followed by `\r\n`.
    case missingCRLF
    /// A `:` integer is not a decimal number that fits in 64 bits.
    case invalidInteger
    /// A `,` double is neither a decimal number nor `inf`, `-inf` or `nan`.
    case invalidDouble
    /// A `#` boolean is neither `t` nor `f`.
    case invalidBoolean
    /// A `(` big number contains something other than an optional sign and digits.
    case invalidBigNumber
    /// A `=` verbatim string does not start with a three-byte format and a colon.
    case invalidVerbatimString
    /// Aggregates are nested deeper than the decoder allows.
    case tooDeep
    /// A blob or line is longer than the decoder allows.
    case tooLarge
    /// Valid RESP3 that this decoder does not handle, such as streamed strings and aggregates.
    case unsupported
    /// The stream ended in the middle of a value.
    case truncated
  }

  /// The kind of problem.
  public var code: Code
  /// Where the problem was found, in bytes from the start of the top-level value being decoded.
  public var offset: Int

  /// Creates an error; the offset is only informative and is not part of any protocol.
  public init(code: Code, offset: Int) {
    self.code = code
    self.offset = offset
  }

  /// A short text naming the code and the offset, for logs.
  public var description: String {
    "RESPParseError(\(code) at byte \(offset))"
  }
}
