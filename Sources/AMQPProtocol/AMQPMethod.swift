import NIOCore

/// Every method of AMQP 0-9-1 as RabbitMQ speaks it, extensions included, with its arguments.
///
/// Methods without arguments are plain cases; the others carry a struct from the namespace of
/// their class, such as ``Basic/Deliver``. Reserved arguments, which 0-9-1 keeps only for wire
/// compatibility, are not exposed: they are written with the values the specification requires
/// and skipped when read. Consecutive bit arguments share one octet, the first in its least
/// significant bit.
public enum AMQPMethod: Sendable, Equatable {
  /// `connection.start` (10, 10), sent by the server.
  case connectionStart(Connection.Start)
  /// `connection.start-ok` (10, 11), sent by the client.
  case connectionStartOk(Connection.StartOk)
  /// `connection.secure` (10, 20), sent by the server.
  case connectionSecure(Connection.Secure)
  /// `connection.secure-ok` (10, 21), sent by the client.
  case connectionSecureOk(Connection.SecureOk)
  /// `connection.tune` (10, 30), sent by the server.
  case connectionTune(Connection.Tune)
  /// `connection.tune-ok` (10, 31), sent by the client.
  case connectionTuneOk(Connection.Tune)
  /// `connection.open` (10, 40), sent by the client.
  case connectionOpen(Connection.Open)
  /// `connection.open-ok` (10, 41), sent by the server.
  case connectionOpenOk
  /// `connection.close` (10, 50), sent by either peer.
  case connectionClose(Connection.Close)
  /// `connection.close-ok` (10, 51), sent by either peer.
  case connectionCloseOk
  /// `connection.blocked` (10, 60), sent by the server.
  case connectionBlocked(Connection.Blocked)
  /// `connection.unblocked` (10, 61), sent by the server once publishing may resume.
  case connectionUnblocked
  /// `connection.update-secret` (10, 70), sent by the client.
  case connectionUpdateSecret(Connection.UpdateSecret)
  /// `connection.update-secret-ok` (10, 71), sent by the server.
  case connectionUpdateSecretOk

  /// `channel.open` (20, 10), sent by the client.
  case channelOpen
  /// `channel.open-ok` (20, 11), sent by the server.
  case channelOpenOk
  /// `channel.flow` (20, 20), sent by either peer.
  case channelFlow(Channel.Flow)
  /// `channel.flow-ok` (20, 21), sent by either peer.
  case channelFlowOk(Channel.Flow)
  /// `channel.close` (20, 40), sent by either peer.
  case channelClose(Channel.Close)
  /// `channel.close-ok` (20, 41), sent by either peer.
  case channelCloseOk

  /// `exchange.declare` (40, 10), sent by the client.
  case exchangeDeclare(Exchange.Declare)
  /// `exchange.declare-ok` (40, 11), sent by the server.
  case exchangeDeclareOk
  /// `exchange.delete` (40, 20), sent by the client.
  case exchangeDelete(Exchange.Delete)
  /// `exchange.delete-ok` (40, 21), sent by the server.
  case exchangeDeleteOk
  /// `exchange.bind` (40, 30), sent by the client.
  case exchangeBind(Exchange.Binding)
  /// `exchange.bind-ok` (40, 31), sent by the server.
  case exchangeBindOk
  /// `exchange.unbind` (40, 40), sent by the client.
  case exchangeUnbind(Exchange.Binding)
  /// `exchange.unbind-ok` (40, 51), sent by the server; RabbitMQ numbers it 51, not 41.
  case exchangeUnbindOk

  /// `queue.declare` (50, 10), sent by the client.
  case queueDeclare(Queue.Declare)
  /// `queue.declare-ok` (50, 11), sent by the server.
  case queueDeclareOk(Queue.DeclareOk)
  /// `queue.bind` (50, 20), sent by the client.
  case queueBind(Queue.Bind)
  /// `queue.bind-ok` (50, 21), sent by the server.
  case queueBindOk
  /// `queue.purge` (50, 30), sent by the client.
  case queuePurge(Queue.Purge)
  /// `queue.purge-ok` (50, 31), sent by the server.
  case queuePurgeOk(Queue.PurgeOk)
  /// `queue.delete` (50, 40), sent by the client.
  case queueDelete(Queue.Delete)
  /// `queue.delete-ok` (50, 41), sent by the server.
  case queueDeleteOk(Queue.DeleteOk)
  /// `queue.unbind` (50, 50), sent by the client.
  case queueUnbind(Queue.Unbind)
  /// `queue.unbind-ok` (50, 51), sent by the server.
  case queueUnbindOk

  /// `basic.qos` (60, 10), sent by the client.
  case basicQos(Basic.Qos)
  /// `basic.qos-ok` (60, 11), sent by the server.
  case basicQosOk
  /// `basic.consume` (60, 20), sent by the client.
  case basicConsume(Basic.Consume)
  /// `basic.consume-ok` (60, 21), sent by the server.
  case basicConsumeOk(Basic.ConsumeOk)
  /// `basic.cancel` (60, 30), sent by either peer.
  case basicCancel(Basic.Cancel)
  /// `basic.cancel-ok` (60, 31), sent by either peer.
  case basicCancelOk(Basic.CancelOk)
  /// `basic.publish` (60, 40), sent by the client and followed by content.
  case basicPublish(Basic.Publish)
  /// `basic.return` (60, 50), sent by the server and followed by content.
  case basicReturn(Basic.Return)
  /// `basic.deliver` (60, 60), sent by the server and followed by content.
  case basicDeliver(Basic.Deliver)
  /// `basic.get` (60, 70), sent by the client.
  case basicGet(Basic.Get)
  /// `basic.get-ok` (60, 71), sent by the server and followed by content.
  case basicGetOk(Basic.GetOk)
  /// `basic.get-empty` (60, 72), sent by the server when the queue is empty.
  case basicGetEmpty
  /// `basic.ack` (60, 80), sent by either peer.
  case basicAck(Basic.Ack)
  /// `basic.reject` (60, 90), sent by the client.
  case basicReject(Basic.Reject)
  /// `basic.recover-async` (60, 100), sent by the client; deprecated in favour of `basic.recover`.
  case basicRecoverAsync(Basic.Recover)
  /// `basic.recover` (60, 110), sent by the client.
  case basicRecover(Basic.Recover)
  /// `basic.recover-ok` (60, 111), sent by the server.
  case basicRecoverOk
  /// `basic.nack` (60, 120), sent by either peer.
  case basicNack(Basic.Nack)

  /// `tx.select` (90, 10), sent by the client to make the channel transactional.
  case txSelect
  /// `tx.select-ok` (90, 11), sent by the server.
  case txSelectOk
  /// `tx.commit` (90, 20), sent by the client.
  case txCommit
  /// `tx.commit-ok` (90, 21), sent by the server.
  case txCommitOk
  /// `tx.rollback` (90, 30), sent by the client.
  case txRollback
  /// `tx.rollback-ok` (90, 31), sent by the server.
  case txRollbackOk

  /// `confirm.select` (85, 10), sent by the client.
  case confirmSelect(Confirm.Select)
  /// `confirm.select-ok` (85, 11), sent by the server.
  case confirmSelectOk

  /// The id of the method's class, such as 60 for `basic`.
  public var classID: UInt16 {
    switch self {
    case .connectionStart, .connectionStartOk, .connectionSecure, .connectionSecureOk, .connectionTune,
      .connectionTuneOk, .connectionOpen, .connectionOpenOk, .connectionClose, .connectionCloseOk,
      .connectionBlocked, .connectionUnblocked, .connectionUpdateSecret, .connectionUpdateSecretOk:
      10
    case .channelOpen, .channelOpenOk, .channelFlow, .channelFlowOk, .channelClose, .channelCloseOk:
      20
    case .exchangeDeclare, .exchangeDeclareOk, .exchangeDelete, .exchangeDeleteOk, .exchangeBind, .exchangeBindOk,
      .exchangeUnbind, .exchangeUnbindOk:
      40
    case .queueDeclare, .queueDeclareOk, .queueBind, .queueBindOk, .queuePurge, .queuePurgeOk, .queueDelete,
      .queueDeleteOk, .queueUnbind, .queueUnbindOk:
      50
    case .basicQos, .basicQosOk, .basicConsume, .basicConsumeOk, .basicCancel, .basicCancelOk, .basicPublish,
      .basicReturn, .basicDeliver, .basicGet, .basicGetOk, .basicGetEmpty, .basicAck, .basicReject,
      .basicRecoverAsync, .basicRecover, .basicRecoverOk, .basicNack:
      60
    case .confirmSelect, .confirmSelectOk:
      85
    case .txSelect, .txSelectOk, .txCommit, .txCommitOk, .txRollback, .txRollbackOk:
      90
    }
  }

  /// The id of the method within its class, such as 60 for `basic.deliver`.
  public var methodID: UInt16 {
    switch self {
    case .connectionStart, .channelOpen, .exchangeDeclare, .queueDeclare, .basicQos, .txSelect, .confirmSelect:
      10
    case .connectionStartOk, .channelOpenOk, .exchangeDeclareOk, .queueDeclareOk, .basicQosOk, .txSelectOk,
      .confirmSelectOk:
      11
    case .connectionSecure, .channelFlow, .exchangeDelete, .queueBind, .basicConsume, .txCommit:
      20
    case .connectionSecureOk, .channelFlowOk, .exchangeDeleteOk, .queueBindOk, .basicConsumeOk, .txCommitOk:
      21
    case .connectionTune, .exchangeBind, .queuePurge, .basicCancel, .txRollback:
      30
    case .connectionTuneOk, .exchangeBindOk, .queuePurgeOk, .basicCancelOk, .txRollbackOk:
      31
    case .connectionOpen, .channelClose, .exchangeUnbind, .queueDelete, .basicPublish:
      40
    case .connectionOpenOk, .channelCloseOk, .queueDeleteOk:
      41
    case .connectionClose, .queueUnbind, .basicReturn:
      50
    case .connectionCloseOk, .exchangeUnbindOk, .queueUnbindOk:
      51
    case .connectionBlocked, .basicDeliver:
      60
    case .connectionUnblocked:
      61
    case .connectionUpdateSecret, .basicGet:
      70
    case .connectionUpdateSecretOk, .basicGetOk:
      71
    case .basicGetEmpty:
      72
    case .basicAck:
      80
    case .basicReject:
      90
    case .basicRecoverAsync:
      100
    case .basicRecover:
      110
    case .basicRecoverOk:
      111
    case .basicNack:
      120
    }
  }

  /// Whether a content header frame and body frames follow the method, as they do for
  /// `basic.publish`, `basic.return`, `basic.deliver` and `basic.get-ok`.
  public var carriesContent: Bool {
    switch self {
    case .basicPublish, .basicReturn, .basicDeliver, .basicGetOk: true
    default: false
    }
  }

  /// Appends the method's payload, its class id, method id and arguments, to `buffer`.
  ///
  /// Fails with ``AMQPProtocolError/Code/shortStringTooLong`` when a name or other short string
  /// is longer than 255 bytes, leaving the buffer as it was.
  public func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    let start = buffer.writerIndex
    buffer.writeInteger(classID)
    buffer.writeInteger(methodID)
    do throws(AMQPProtocolError) {
      try encodeArguments(into: &buffer)
    } catch {
      buffer.moveWriterIndex(to: start)
      throw error
    }
  }

  /// Reads a method payload: class id, method id and the arguments the two select.
  ///
  /// Bytes after the arguments are left unread. On failure the reader index is left where it
  /// was.
  public static func decode(from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod {
    let start = buffer.readerIndex
    do throws(AMQPProtocolError) {
      let classID = try buffer.readAMQPInteger(as: UInt16.self)
      let methodID = try buffer.readAMQPInteger(as: UInt16.self)
      switch classID {
      case 10: return try decodeConnection(methodID: methodID, from: &buffer)
      case 20: return try decodeChannel(methodID: methodID, from: &buffer)
      case 40: return try decodeExchange(methodID: methodID, from: &buffer)
      case 50: return try decodeQueue(methodID: methodID, from: &buffer)
      case 60: return try decodeBasic(methodID: methodID, from: &buffer)
      case 85: return try decodeConfirm(methodID: methodID, from: &buffer)
      case 90: return try decodeTx(methodID: methodID)
      default: throw AMQPProtocolError(.unknownClass, "class \(classID)")
      }
    } catch {
      buffer.moveReaderIndex(to: start)
      throw error
    }
  }

  private func encodeArguments(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    switch self {
    case .connectionStart(let arguments): try arguments.encode(into: &buffer)
    case .connectionStartOk(let arguments): try arguments.encode(into: &buffer)
    case .connectionSecure(let arguments): try arguments.encode(into: &buffer)
    case .connectionSecureOk(let arguments): try arguments.encode(into: &buffer)
    case .connectionTune(let arguments), .connectionTuneOk(let arguments): arguments.encode(into: &buffer)
    case .connectionOpen(let arguments): try arguments.encode(into: &buffer)
    case .connectionClose(let arguments): try arguments.encode(into: &buffer)
    case .connectionBlocked(let arguments): try arguments.encode(into: &buffer)
    case .connectionUpdateSecret(let arguments): try arguments.encode(into: &buffer)
    case .connectionOpenOk, .channelOpen, .basicGetEmpty:
      // Each keeps a reserved short string for wire compatibility, sent empty.
      buffer.writeInteger(UInt8(0))
    case .channelOpenOk:
      // The reserved channel id stays on the wire for compatibility, sent empty.
      buffer.writeInteger(UInt32(0))
    case .channelFlow(let arguments), .channelFlowOk(let arguments): arguments.encode(into: &buffer)
    case .channelClose(let arguments): try arguments.encode(into: &buffer)
    case .exchangeDeclare(let arguments): try arguments.encode(into: &buffer)
    case .exchangeDelete(let arguments): try arguments.encode(into: &buffer)
    case .exchangeBind(let arguments), .exchangeUnbind(let arguments): try arguments.encode(into: &buffer)
    case .queueDeclare(let arguments): try arguments.encode(into: &buffer)
    case .queueDeclareOk(let arguments): try arguments.encode(into: &buffer)
    case .queueBind(let arguments): try arguments.encode(into: &buffer)
    case .queuePurge(let arguments): try arguments.encode(into: &buffer)
    case .queuePurgeOk(let arguments): arguments.encode(into: &buffer)
    case .queueDelete(let arguments): try arguments.encode(into: &buffer)
    case .queueDeleteOk(let arguments): arguments.encode(into: &buffer)
    case .queueUnbind(let arguments): try arguments.encode(into: &buffer)
    case .basicQos(let arguments): arguments.encode(into: &buffer)
    case .basicConsume(let arguments): try arguments.encode(into: &buffer)
    case .basicConsumeOk(let arguments): try arguments.encode(into: &buffer)
    case .basicCancel(let arguments): try arguments.encode(into: &buffer)
    case .basicCancelOk(let arguments): try arguments.encode(into: &buffer)
    case .basicPublish(let arguments): try arguments.encode(into: &buffer)
    case .basicReturn(let arguments): try arguments.encode(into: &buffer)
    case .basicDeliver(let arguments): try arguments.encode(into: &buffer)
    case .basicGet(let arguments): try arguments.encode(into: &buffer)
    case .basicGetOk(let arguments): try arguments.encode(into: &buffer)
    case .basicAck(let arguments): arguments.encode(into: &buffer)
    case .basicReject(let arguments): arguments.encode(into: &buffer)
    case .basicRecoverAsync(let arguments), .basicRecover(let arguments): arguments.encode(into: &buffer)
    case .basicNack(let arguments): arguments.encode(into: &buffer)
    case .confirmSelect(let arguments): arguments.encode(into: &buffer)
    case .connectionCloseOk, .connectionUnblocked, .connectionUpdateSecretOk, .channelCloseOk, .exchangeDeclareOk,
      .exchangeDeleteOk, .exchangeBindOk, .exchangeUnbindOk, .queueBindOk, .queueUnbindOk, .basicQosOk,
      .basicRecoverOk, .txSelect, .txSelectOk, .txCommit, .txCommitOk, .txRollback, .txRollbackOk,
      .confirmSelectOk:
      break
    }
  }
}
