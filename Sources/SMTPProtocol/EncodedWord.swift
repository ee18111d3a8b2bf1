import Foundation

/// Header text outside ASCII as RFC 2047 encoded words: `=?UTF-8?B?…?=`, each at most 75
/// characters and never splitting a character between two words.
enum EncodedWord {
  /// Bytes of UTF-8 per word: 45 bytes make 60 base64 characters, 72 with the delimiters.
  static let bytesPerWord = 45

  static func encode(_ text: String) -> [String] {
    var words: [String] = []
    var chunk: [UInt8] = []
    for character in text {
      let bytes = Array(String(character).utf8)
      if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
        words.append(word(chunk))
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
    return words
  }

  private static func word(_ bytes: [UInt8]) -> String {
    "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
  }
}
