import Crypto
import Foundation
import SwiftASN1
import X509

/// A throw-away CA and certificates signed by it, written as the files a `tls.directory`
/// holds (`ca.pem`, `<name>.pem`, `<name>-key.pem`), for tests of mutual TLS.
public struct TestCertificates: Sendable {
  public let directory: URL

  /// Issues a certificate for each name, with the name as common name, and one more under
  /// another CA (`<name>` of `foreign`), which the stack's servers must refuse.
  public init(names: [String], foreign: [String] = []) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let ca = try Self.authority("SwiftShop test CA")
    try ca.certificate.serializeAsPEM().pemString.write(to: file("ca.pem"), atomically: true, encoding: .utf8)
    for name in names { try issue(name, by: ca) }
    let stranger = try Self.authority("Another CA")
    for name in foreign { try issue(name, by: stranger) }
  }

  public func path(_ name: String) -> String { file(name).path }

  public func remove() { try? FileManager.default.removeItem(at: directory) }

  private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

  private typealias Authority = (certificate: Certificate, key: P256.Signing.PrivateKey, name: DistinguishedName)

  private static func authority(_ commonName: String) throws -> Authority {
    let key = P256.Signing.PrivateKey()
    let name = try DistinguishedName { CommonName(commonName) }
    let certificate = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
      notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86400),
      issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        Critical(KeyUsage(keyCertSign: true))
      },
      issuerPrivateKey: .init(key))
    return (certificate, key, name)
  }

  private func issue(_ name: String, by authority: Authority) throws {
    let key = P256.Signing.PrivateKey()
    let certificate = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
      notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86400),
      issuer: authority.name, subject: try DistinguishedName { CommonName(name) },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth, .clientAuth])
        SubjectAlternativeNames([
          .dnsName(name), .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
        ])
      },
      issuerPrivateKey: .init(authority.key))
    try certificate.serializeAsPEM().pemString.write(to: file("\(name).pem"), atomically: true, encoding: .utf8)
    try key.pemRepresentation.write(to: file("\(name)-key.pem"), atomically: true, encoding: .utf8)
  }
}
