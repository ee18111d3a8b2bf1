import Configuration
import GRPCNIOTransportHTTP2
import ShopConfiguration

/// How a process's gRPC servers and clients secure their connections, from the `tls` scope:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `tls.directory` | none | the stack's CA `ca.pem`, and this process's certificate `<identity>.pem` with its key `<identity>-key.pem` |
/// | `tls.plaintext` | `false` | no TLS and no caller identity: for tests only |
///
/// Servers require a client certificate from the CA and take the caller's service name from
/// its common name; clients present their own and verify the server's against the CA.
public struct RPCSecurity: Sendable, Equatable {
  public enum Mode: Sendable, Equatable {
    /// Mutual TLS with the files of a directory.
    case mutualTLS(caFile: String, certificateFile: String, keyFile: String)
    case plaintext
  }

  public var mode: Mode

  public init(mode: Mode) {
    self.mode = mode
  }

  /// - Parameter identity: the process's name among the stack's certificates (`user`,
  ///   `gateway`, …).
  public init(config: ConfigReader, identity: String) throws {
    let tls = config.scoped(to: "tls")
    if tls.bool(forKey: "plaintext", default: false) {
      mode = .plaintext
      return
    }
    guard let directory = tls.string(forKey: "directory"), !directory.isEmpty else {
      throw ConfigurationError(
        "no TLS for gRPC: set tls.directory (SHOP_TLS_DIRECTORY) to the folder with ca.pem, \(identity).pem and \(identity)-key.pem, or tls.plaintext for tests"
      )
    }
    mode = .mutualTLS(
      caFile: "\(directory)/ca.pem", certificateFile: "\(directory)/\(identity).pem",
      keyFile: "\(directory)/\(identity)-key.pem")
  }

  /// The certificate, key and trust roots of mutual TLS, or `nil` for plaintext.
  private var files:
    (chain: [TLSConfig.CertificateSource], key: TLSConfig.PrivateKeySource, ca: TLSConfig.TrustRootsSource)?
  {
    guard case .mutualTLS(let ca, let certificate, let key) = mode else { return nil }
    return (
      [.file(path: certificate, format: .pem)], .file(path: key, format: .pem),
      .certificates([.file(path: ca, format: .pem)])
    )
  }

  var server: HTTP2ServerTransport.Posix.TransportSecurity {
    guard let files else { return .plaintext }
    return .mTLS(certificateChain: files.chain, privateKey: files.key) {
      $0.trustRoots = files.ca
      $0.clientCertificateVerification = .noHostnameVerification
    }
  }

  var client: HTTP2ClientTransport.Posix.TransportSecurity {
    guard let files else { return .plaintext }
    // Only the stack's CA is trusted and it signs only the stack's services, so the chain
    // is what identifies a server; addresses differ between deployments.
    return .mTLS(certificateChain: files.chain, privateKey: files.key) {
      $0.trustRoots = files.ca
      $0.serverCertificateVerification = .noHostnameVerification
    }
  }
}
