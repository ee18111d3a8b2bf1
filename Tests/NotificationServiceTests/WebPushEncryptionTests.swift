import Crypto
import Foundation
import ShopContracts
import Testing

@testable import NotificationService

@Suite struct WebPushEncryptionTests {
  static func bytes(_ text: String) -> Data { Data(base64URLEncoded: text)! }

  /// The user agent's side (RFC 8291 §3.4, RFC 8188): reads what the server sent.
  static func decrypt(_ body: Data, receiver: P256.KeyAgreement.PrivateKey, auth: Data) throws -> Data {
    let salt = body.prefix(16)
    let keyLength = Int(body[body.startIndex + 20])
    let sender = try P256.KeyAgreement.PublicKey(x963Representation: body.dropFirst(21).prefix(keyLength))
    let shared = try receiver.sharedSecretFromKeyAgreement(with: sender)
    let info = Data("WebPush: info".utf8) + [0] + receiver.publicKey.x963Representation + sender.x963Representation
    let ikm = shared.withUnsafeBytes {
      HKDF<SHA256>.deriveKey(
        inputKeyMaterial: SymmetricKey(data: Data($0)), salt: auth, info: info, outputByteCount: 32)
    }
    let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
    let key = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
    let nonce = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
    let record = body.dropFirst(21 + keyLength)
    let box = try AES.GCM.SealedBox(
      nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }), ciphertext: record.dropLast(16),
      tag: record.suffix(16))
    let padded = try AES.GCM.open(box, using: key)
    #expect(padded.last == 2)
    return padded.dropLast()
  }

  /// RFC 8291 §5 and Appendix A: the example's keys, salt and secret give its exact body.
  @Test func theRFC8291ExampleIsReproducedByteForByte() throws {
    let body = try WebPushEncryption.encrypt(
      Data("When I grow up, I want to be a watermelon".utf8),
      p256dh: Self.bytes("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
      auth: Self.bytes("BTBZMqHH6r4Tts7J_aSIgg"), salt: Self.bytes("DGv6ra1nlYgDCS1FRnbzlw"),
      key: try P256.KeyAgreement.PrivateKey(
        rawRepresentation: Self.bytes("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")))
    #expect(
      body.base64URLEncodedString()
        == "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    )
  }

  @Test func eachMessageHasItsOwnKeyAndSaltAndTheSubscriberReadsIt() throws {
    let receiver = P256.KeyAgreement.PrivateKey()
    let auth = Data((0..<16).map { UInt8($0) })
    let payload = Data(#"{"title":"Order shipped","body":"DHL JD0001"}"#.utf8)
    let first = try WebPushEncryption.encrypt(payload, p256dh: receiver.publicKey.x963Representation, auth: auth)
    let second = try WebPushEncryption.encrypt(payload, p256dh: receiver.publicKey.x963Representation, auth: auth)
    #expect(first.prefix(16) != second.prefix(16) && first.dropFirst(21).prefix(65) != second.dropFirst(21).prefix(65))
    #expect(try Self.decrypt(first, receiver: receiver, auth: auth) == payload)
    #expect(throws: (any Error).self) {
      try Self.decrypt(first, receiver: P256.KeyAgreement.PrivateKey(), auth: auth)
    }
  }

  @Test func badKeysAndOversizedPayloadsAreRefused() {
    let receiver = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
    #expect(throws: WebPushEncryption.Failure.invalidSubscriptionKeys) {
      try WebPushEncryption.encrypt(Data("x".utf8), p256dh: Data(repeating: 4, count: 65), auth: Data(count: 16))
    }
    #expect(throws: WebPushEncryption.Failure.invalidSubscriptionKeys) {
      try WebPushEncryption.encrypt(Data("x".utf8), p256dh: receiver, auth: Data(count: 8))
    }
    let tooLarge = WebPushEncryption.maximumPayload + 1
    #expect(throws: WebPushEncryption.Failure.payloadTooLarge(tooLarge)) {
      try WebPushEncryption.encrypt(Data(count: tooLarge), p256dh: receiver, auth: Data(count: 16))
    }
  }
}
