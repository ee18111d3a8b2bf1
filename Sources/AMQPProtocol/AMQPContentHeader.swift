import NIOCore

/// The payload of a content header frame, which follows a content-carrying method and announces
/// the message's body size and properties.
public struct AMQPContentHeader: Sendable, Equatable {
  /// The `basic` class id, the only class with content in 0-9-1.
  public static let basicClassID: UInt16 = 60

  /// The class of the method the content belongs to; always ``basicClassID`` when decoded.
  public var classID: UInt16
  /// Unused by 0-9-1 and always 0 in practice.
  public var weight: UInt16
  /// The total size of the body, which the following body frames add up to exactly; with a
  /// size of 0 no body frames follow.
  public var bodySize: UInt64
  /// The message's properties.
  public var properties: AMQPBasicProperties

  /// Creates a header for a `basic` message.
  public init(
    classID: UInt16 = AMQPContentHeader.basicClassID, weight: UInt16 = 0, bodySize: UInt64,
    properties: AMQPBasicProperties = AMQPBasicProperties()
  ) {
    self.classID = classID
    self.weight = weight
    self.bodySize = bodySize
    self.properties = properties
  }

  /// Appends the header payload to `buffer`.
  ///
  /// Fails with ``AMQPProtocolError/Code/shortStringTooLong`` when a string property is longer
  /// than 255 bytes, leaving the buffer as it was.
  public func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    let start = buffer.writerIndex
    buffer.writeInteger(classID)
    buffer.writeInteger(weight)
    buffer.writeInteger(bodySize)
    do throws(AMQPProtocolError) {
      try properties.encode(into: &buffer)
    } catch {
      buffer.moveWriterIndex(to: start)
      throw error
    }
  }

  /// Reads a header payload.
  ///
  /// Fails with ``AMQPProtocolError/Code/unknownClass`` for any class but `basic`, because the
  /// property layout depends on the class. Bytes after the properties are left unread. On
  /// failure the reader index is left where it was.
  public static func decode(from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPContentHeader {
    let start = buffer.readerIndex
    do throws(AMQPProtocolError) {
      let classID = try buffer.readAMQPInteger(as: UInt16.self)
      guard classID == basicClassID else {
        throw AMQPProtocolError(.unknownClass, "content class \(classID)")
      }
      let weight = try buffer.readAMQPInteger(as: UInt16.self)
      let bodySize = try buffer.readAMQPInteger(as: UInt64.self)
      let properties = try AMQPBasicProperties(from: &buffer)
      return AMQPContentHeader(classID: classID, weight: weight, bodySize: bodySize, properties: properties)
    } catch {
      buffer.moveReaderIndex(to: start)
      throw error
    }
  }
}
