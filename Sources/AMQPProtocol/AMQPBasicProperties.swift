import NIOCore

/// The properties of a message: the 14 properties of the `basic` class, each optional.
///
/// Only the properties that are set travel on the wire; a 16-bit flags word in the content
/// header says which, `contentType` in bit 15 down to `clusterID` in bit 2.
public struct AMQPBasicProperties: Sendable, Equatable {
  /// The MIME type of the body, such as `application/json`.
  public var contentType: String?
  /// The encoding of the body, such as `gzip`.
  public var contentEncoding: String?
  /// Application headers, which `headers` exchanges route by.
  public var headers: AMQPTable?
  /// 1 for a transient message, 2 for a persistent one that a durable queue keeps on disk.
  public var deliveryMode: UInt8?
  /// The priority, 0 to 9, honoured by queues declared with `x-max-priority`.
  public var priority: UInt8?
  /// An application id tying a reply to its request.
  public var correlationID: String?
  /// The queue replies should go to.
  public var replyTo: String?
  /// How long the message may wait in a queue, in milliseconds, written as decimal text such
  /// as `60000`.
  public var expiration: String?
  /// An application id for the message.
  public var messageID: String?
  /// When the message was created, in seconds since the Unix epoch.
  public var timestamp: UInt64?
  /// An application name for the kind of message.
  public var type: String?
  /// The user that published the message, which RabbitMQ checks against the connection's user.
  public var userID: String?
  /// The application that published the message.
  public var appID: String?
  /// Reserved by the specification; RabbitMQ passes it along without interpreting it.
  public var clusterID: String?

  /// Creates properties; leave out those the message does not need.
  public init(
    contentType: String? = nil, contentEncoding: String? = nil, headers: AMQPTable? = nil, deliveryMode: UInt8? = nil,
    priority: UInt8? = nil, correlationID: String? = nil, replyTo: String? = nil, expiration: String? = nil,
    messageID: String? = nil, timestamp: UInt64? = nil, type: String? = nil, userID: String? = nil,
    appID: String? = nil, clusterID: String? = nil
  ) {
    self.contentType = contentType
    self.contentEncoding = contentEncoding
    self.headers = headers
    self.deliveryMode = deliveryMode
    self.priority = priority
    self.correlationID = correlationID
    self.replyTo = replyTo
    self.expiration = expiration
    self.messageID = messageID
    self.timestamp = timestamp
    self.type = type
    self.userID = userID
    self.appID = appID
    self.clusterID = clusterID
  }

  /// The property flags word: bit 15 for `contentType` down to bit 2 for `clusterID`, set for
  /// each property present.
  public var flags: UInt16 {
    var flags: UInt16 = 0
    if contentType != nil { flags |= Flag.contentType }
    if contentEncoding != nil { flags |= Flag.contentEncoding }
    if headers != nil { flags |= Flag.headers }
    if deliveryMode != nil { flags |= Flag.deliveryMode }
    if priority != nil { flags |= Flag.priority }
    if correlationID != nil { flags |= Flag.correlationID }
    if replyTo != nil { flags |= Flag.replyTo }
    if expiration != nil { flags |= Flag.expiration }
    if messageID != nil { flags |= Flag.messageID }
    if timestamp != nil { flags |= Flag.timestamp }
    if type != nil { flags |= Flag.type }
    if userID != nil { flags |= Flag.userID }
    if appID != nil { flags |= Flag.appID }
    if clusterID != nil { flags |= Flag.clusterID }
    return flags
  }

  private enum Flag {
    static let contentType: UInt16 = 1 << 15
    static let contentEncoding: UInt16 = 1 << 14
    static let headers: UInt16 = 1 << 13
    static let deliveryMode: UInt16 = 1 << 12
    static let priority: UInt16 = 1 << 11
    static let correlationID: UInt16 = 1 << 10
    static let replyTo: UInt16 = 1 << 9
    static let expiration: UInt16 = 1 << 8
    static let messageID: UInt16 = 1 << 7
    static let timestamp: UInt16 = 1 << 6
    static let type: UInt16 = 1 << 5
    static let userID: UInt16 = 1 << 4
    static let appID: UInt16 = 1 << 3
    static let clusterID: UInt16 = 1 << 2
    /// Bit 0 announces another flags word; bit 1 is unassigned.
    static let undefined: UInt16 = 0b11
  }
}

extension AMQPBasicProperties {
  /// Writes the flags word followed by the properties that are set, in flag order.
  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(flags)
    if let contentType { try buffer.writeAMQPShortString(contentType) }
    if let contentEncoding { try buffer.writeAMQPShortString(contentEncoding) }
    if let headers { try headers.encode(into: &buffer) }
    if let deliveryMode { buffer.writeInteger(deliveryMode) }
    if let priority { buffer.writeInteger(priority) }
    if let correlationID { try buffer.writeAMQPShortString(correlationID) }
    if let replyTo { try buffer.writeAMQPShortString(replyTo) }
    if let expiration { try buffer.writeAMQPShortString(expiration) }
    if let messageID { try buffer.writeAMQPShortString(messageID) }
    if let timestamp { buffer.writeInteger(timestamp) }
    if let type { try buffer.writeAMQPShortString(type) }
    if let userID { try buffer.writeAMQPShortString(userID) }
    if let appID { try buffer.writeAMQPShortString(appID) }
    if let clusterID { try buffer.writeAMQPShortString(clusterID) }
  }

  /// Reads a flags word and the properties it announces.
  ///
  /// A continuation word (bit 0) or bit 1 would announce properties `basic` does not define,
  /// whose types are unknown, so they are rejected rather than skipped.
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    let flags = try buffer.readAMQPInteger(as: UInt16.self)
    guard flags & Flag.undefined == 0 else {
      throw AMQPProtocolError(.invalidPropertyFlags, "flags \(flags)")
    }
    self.init()
    if flags & Flag.contentType != 0 { contentType = try buffer.readAMQPShortString() }
    if flags & Flag.contentEncoding != 0 { contentEncoding = try buffer.readAMQPShortString() }
    if flags & Flag.headers != 0 { headers = try AMQPTable.decode(from: &buffer) }
    if flags & Flag.deliveryMode != 0 { deliveryMode = try buffer.readAMQPInteger() }
    if flags & Flag.priority != 0 { priority = try buffer.readAMQPInteger() }
    if flags & Flag.correlationID != 0 { correlationID = try buffer.readAMQPShortString() }
    if flags & Flag.replyTo != 0 { replyTo = try buffer.readAMQPShortString() }
    if flags & Flag.expiration != 0 { expiration = try buffer.readAMQPShortString() }
    if flags & Flag.messageID != 0 { messageID = try buffer.readAMQPShortString() }
    if flags & Flag.timestamp != 0 { timestamp = try buffer.readAMQPInteger() }
    if flags & Flag.type != 0 { type = try buffer.readAMQPShortString() }
    if flags & Flag.userID != 0 { userID = try buffer.readAMQPShortString() }
    if flags & Flag.appID != 0 { appID = try buffer.readAMQPShortString() }
    if flags & Flag.clusterID != 0 { clusterID = try buffer.readAMQPShortString() }
  }
}
