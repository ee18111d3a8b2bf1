import NIOCore
import NIOEmbedded
import SMTPProtocol
import Testing

@testable import SMTPClient

/// The handler against a scripted server: what it writes for each reply, and what its
/// promises learn.
@Suite struct SMTPChannelHandlerTests {
  static func channel() async throws -> (NIOAsyncTestingChannel, EventLoopFuture<SMTPExtensions>) {
    let channel = NIOAsyncTestingChannel()
    let ready = channel.eventLoop.makePromise(of: SMTPExtensions.self)
    let settings = SMTPSessionStateMachine.Settings(
      domain: "client.test", security: .plain, credentials: nil, allowsPlaintextAuthentication: false)
    try await channel.pipeline.addHandlers([
      ByteToMessageHandler(SMTPReplyDecoder()), SMTPChannelHandler(settings: settings, tls: nil, sessionReady: ready),
    ])
    return (channel, ready.futureResult)
  }

  static func written(_ channel: NIOAsyncTestingChannel) async throws -> String {
    var text = ""
    while let buffer = try await channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
    return text
  }

  static func transaction(_ channel: NIOAsyncTestingChannel, content: String) async throws -> EventLoopFuture<Void> {
    let done = channel.eventLoop.makePromise(of: Void.self)
    try await channel.writeOutbound(
      SMTPRequest.transaction(
        from: try SMTPMailbox("shop@swiftshop.local"), to: [try SMTPMailbox("ada@example.com")],
        content: ByteBuffer(string: content), promise: done))
    return done.futureResult
  }

  @Test func aSessionSendsAPipelinedMessageAndIsReadyForTheNext() async throws {
    let (channel, ready) = try await Self.channel()
    try await channel.writeInbound(ByteBuffer(string: "220 mx ready\r\n"))
    #expect(try await Self.written(channel) == "EHLO client.test\r\n")
    // Both lines in one read, and the reply split across two.
    try await channel.writeInbound(ByteBuffer(string: "250-mx\r\n250-PIPELI"))
    try await channel.writeInbound(ByteBuffer(string: "NING\r\n250 SIZE 0\r\n"))
    #expect(try await ready.get().pipelining)

    let delivered = try await Self.transaction(channel, content: "Subject: hi\r\n\r\nbody\r\n.\r\n")
    #expect(
      try await Self.written(channel)
        == "MAIL FROM:<shop@swiftshop.local> SIZE=24\r\nRCPT TO:<ada@example.com>\r\nDATA\r\n")
    try await channel.writeInbound(ByteBuffer(string: "250 ok\r\n250 ok\r\n354 go\r\n"))
    #expect(try await Self.written(channel) == "Subject: hi\r\n\r\nbody\r\n.\r\n")
    try await channel.writeInbound(ByteBuffer(string: "250 queued\r\n"))
    try await delivered.get()

    let refused = try await Self.transaction(channel, content: ".\r\n")
    _ = try await Self.written(channel)
    try await channel.writeInbound(ByteBuffer(string: "250 ok\r\n550 unknown user\r\n554 no recipients\r\n"))
    await #expect { try await refused.get() } throws: { ($0 as? SMTPError)?.reply?.code == 550 }
    #expect(try await Self.written(channel) == "RSET\r\n")
    // The next message waits for the reset's reply.
    _ = try await Self.transaction(channel, content: ".\r\n")
    #expect(try await Self.written(channel).isEmpty)
    try await channel.writeInbound(ByteBuffer(string: "250 reset\r\n"))
    #expect(try await Self.written(channel).hasPrefix("MAIL FROM:<shop@swiftshop.local>"))
    _ = try? await channel.finish()
  }

  @Test func theServerClosingMidTransactionFailsItAsClosed() async throws {
    let (channel, ready) = try await Self.channel()
    try await channel.writeInbound(ByteBuffer(string: "220 mx\r\n250 mx\r\n"))
    _ = try await ready.get()
    let pending = try await Self.transaction(channel, content: ".\r\n")
    try await channel.close()
    await #expect { try await pending.get() } throws: { ($0 as? SMTPError)?.code == .connectionClosed }
  }

  @Test func anUnparsableReplyEndsTheSessionAsAProtocolViolation() async throws {
    let (channel, ready) = try await Self.channel()
    try? await channel.writeInbound(ByteBuffer(string: "hello there\r\n"))
    await #expect { try await ready.get() } throws: { ($0 as? SMTPError)?.code == .protocolViolation }
  }
}
