import NIOCore
import RedisProtocol
import Testing

@Suite struct RESPValueAccessorTests {
  static let annotation = [RESPPair(key: .simpleString("ttl"), value: .integer(1))]

  @Test func stringReadsSimpleBlobAndVerbatimStrings() {
    #expect(RESPValue.simpleString("OK").string == "OK")
    #expect(RESPValue.blobString(ByteBuffer(string: "héllo")).string == "héllo")
    #expect(RESPValue.verbatimString(format: "txt", text: "body").string == "body")
    #expect(RESPValue.attribute(Self.annotation, .simpleString("OK")).string == "OK")
  }

  @Test func stringIsNilForBinaryBlobsAndOtherValues() {
    #expect(RESPValue.blobString(ByteBuffer(bytes: [0xFF, 0xFE])).string == nil)
    #expect(RESPValue.integer(1).string == nil)
    #expect(RESPValue.simpleError("ERR").string == nil)
    #expect(RESPValue.null.string == nil)
  }

  @Test func intReadsOnlyIntegerReplies() {
    #expect(RESPValue.integer(-7).int == -7)
    #expect(RESPValue.attribute(Self.annotation, .integer(3)).int == 3)
    #expect(RESPValue.blobString(ByteBuffer(string: "7")).int == nil)
    #expect(RESPValue.double(7).int == nil)
  }

  @Test func arrayReadsArraysSetsAndPushes() {
    let elements: [RESPValue] = [.integer(1), .null]
    #expect(RESPValue.array(elements).array == elements)
    #expect(RESPValue.set(elements).array == elements)
    #expect(RESPValue.push(elements).array == elements)
    #expect(RESPValue.attribute(Self.annotation, .array(elements)).array == elements)
    #expect(RESPValue.map([RESPPair(key: .integer(1), value: .null)]).array == nil)
    #expect(RESPValue.null.array == nil)
  }

  @Test func isNullIsTrueOnlyForNull() throws {
    #expect(RESPValue.null.isNull)
    #expect(try decodeAll("$-1\r\n*-1\r\n_\r\n").allSatisfy(\.isNull))
    #expect(RESPValue.attribute(Self.annotation, .null).isNull)
    #expect(!RESPValue.array([]).isNull)
    #expect(!RESPValue.blobString(ByteBuffer()).isNull)
    #expect(!RESPValue.boolean(false).isNull)
  }

  @Test func errorMessageReadsSimpleAndBlobErrors() {
    #expect(RESPValue.simpleError("ERR unknown command").errorMessage == "ERR unknown command")
    #expect(RESPValue.blobError("SYNTAX invalid syntax").errorMessage == "SYNTAX invalid syntax")
    #expect(RESPValue.attribute(Self.annotation, .simpleError("ERR")).errorMessage == "ERR")
    #expect(RESPValue.simpleString("ERR").errorMessage == nil)
  }
}
