import Testing

@testable import EtcdClient

@Suite struct EtcdKeyRangeTests {
  @Test func theEndOfAPrefixIsTheFirstKeyWithoutIt() {
    #expect(EtcdKeyRange.end(ofPrefix: "/a/") == Array("/a0".utf8))
    #expect(EtcdKeyRange.end(ofPrefix: "ab") == Array("ac".utf8))
  }

  @Test func trailingFFBytesCarryIntoTheByteBefore() {
    #expect(EtcdKeyRange.end(ofPrefix: "a\u{7f}") == [0x61, 0x80])
    // "é" is 0xc3 0xa9: the last byte is incremented.
    #expect(EtcdKeyRange.end(ofPrefix: "é") == [0xc3, 0xaa])
  }

  @Test func anEmptyPrefixRangesOverEveryKey() {
    #expect(EtcdKeyRange.end(ofPrefix: "") == [0])
  }
}
