import Crypto
import Foundation

/// The body of an encrypted push message (RFC 8291 with RFC 8188's `aes128gcm`): an ECDH
/// agreement between a key made for this one message and the subscription's `p256dh`, mixed
/// with its `auth` secret through HKDF into a content key and nonce, the payload sealed with
/// AES-128-GCM as one record, after a header of salt, record size and the message's public key.
public enum WebPushEncryption {
  /// The record size in the header; the payload, its delimiter and the tag fit in one record.
  public static let recordSize = 4096

  /// The largest payload one record holds.
  public static var maximumPayload: Int { recordSize - 1 - 16 }

  public enum Failure: Error, Equatable {
    /// `p256dh` is not an uncompressed P-256 point or `auth` is not 16 bytes.
    case invalidSubscriptionKeys
    case payloadTooLarge(Int)
  }

  /// Encrypts `payload` for a subscription with a new key and salt.
  public static func encrypt(_ payload: Data, p256dh: Data, auth: Data) throws -> Data {
    var salt = Data(count: 16)
    salt.withUnsafeMutableBytes { bytes in
      var generator = SystemRandomNumberGenerator()
      for index in bytes.indices { bytes[index] = generator.next() }
    }
    return try encrypt(payload, p256dh: p256dh, auth: auth, salt: salt, key: P256.KeyAgreement.PrivateKey())
  }

  /// Encrypts with the given salt and key: for the RFC's example, never twice with the same.
  public static func encrypt(
    _ payload: Data, p256dh: Data, auth: Data, salt: Data, key: P256.KeyAgreement.PrivateKey
  ) throws -> Data {
    guard payload.count <= maximumPayload else { throw Failure.payloadTooLarge(payload.count) }
    guard auth.count == 16, salt.count == 16,
      let receiver = try? P256.KeyAgreement.PublicKey(x963Representation: p256dh)
    else {
      throw Failure.invalidSubscriptionKeys
    }
    let sender = key.publicKey.x963Representation
    let shared = try key.sharedSecretFromKeyAgreement(with: receiver)
    // RFC 8291 §3.3: the auth secret and both public keys go into the input keying material.
    let keyInfo = Data("WebPush: info".utf8) + [0] + receiver.x963Representation + sender
    let ikm = shared.withUnsafeBytes { secret in
      HKDF<SHA256>.deriveKey(
        inputKeyMaterial: SymmetricKey(data: Data(secret)), salt: auth, info: keyInfo, outputByteCount: 32)
    }
    // RFC 8188 §2.2: the content key and nonce from the salt.
    let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
    let contentKey = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
    let nonce = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
    // The last (and only) record ends with the delimiter 0x02, without further padding.
    let sealed = try AES.GCM.seal(
      payload + [2], using: contentKey, nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }))
    var body = salt
    body.append(contentsOf: withUnsafeBytes(of: UInt32(recordSize).bigEndian) { Array($0) })
    body.append(UInt8(sender.count))
    body.append(sender)
    body.append(sealed.ciphertext)
    body.append(sealed.tag)
    return body
  }
}
