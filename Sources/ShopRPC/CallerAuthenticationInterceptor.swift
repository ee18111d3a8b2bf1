import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceContextModule
import X509

/// Authenticates every incoming call before it reaches a service: the calling service by its
/// client certificate, the end user by the access token forwarded with the call, verified
/// here. The call runs with both in its `ServiceContext` (``ServiceContext/callerService``,
/// ``ServiceContext/callerIdentity``), or is refused: `unauthenticated` without a valid
/// identity, `permissionDenied` when the policy does not accept the caller.
public struct CallerAuthenticationInterceptor: ServerInterceptor {
  public typealias TokenVerifier = @Sendable (String) async throws -> CallerIdentity
  public typealias ServiceIdentifier = @Sendable (ServerContext, Metadata) -> String?

  let policy: AccessPolicy
  let verifyToken: TokenVerifier
  let identifyService: ServiceIdentifier

  /// - Parameters:
  ///   - identifyService: names the calling service; by default the common name of its
  ///     client certificate. In-process tests name it otherwise.
  public init(
    policy: AccessPolicy, verifyToken: @escaping TokenVerifier,
    identifyService: @escaping ServiceIdentifier = { context, _ in Self.certificateName(context) }
  ) {
    self.policy = policy
    self.verifyToken = verifyToken
    self.identifyService = identifyService
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    guard let service = identifyService(context, request.metadata) else {
      throw RPCError(code: .unauthenticated, message: "the caller presented no certificate of the stack")
    }
    guard let rule = policy.rule(for: context.descriptor) else {
      throw RPCError(code: .permissionDenied, message: "\(context.descriptor.method) has no access rule")
    }
    guard let requirement = rule.requirement(for: service) else {
      throw RPCError(code: .permissionDenied, message: "\(service) may not call \(context.descriptor.method)")
    }
    var identity: CallerIdentity?
    if let token = Self.bearerToken(request.metadata) {
      do {
        identity = try await verifyToken(token)
      } catch let error as RPCError {
        throw error
      } catch {
        throw RPCError(code: .unauthenticated, message: "the access token is invalid or expired")
      }
    }
    switch (requirement, identity) {
    case (.required, nil), (.admin, nil):
      throw RPCError(code: .unauthenticated, message: "\(context.descriptor.method) needs an end user's token")
    case (.admin, let user?) where !user.isAdmin:
      throw RPCError(code: .permissionDenied, message: "\(context.descriptor.method) is for administrators")
    default:
      break
    }
    var serviceContext = ServiceContext.current ?? .topLevel
    serviceContext.callerService = service
    serviceContext.callerIdentity = identity
    return try await ServiceContext.withValue(serviceContext) {
      try await next(request, context)
    }
  }

  static func bearerToken(_ metadata: Metadata) -> String? {
    guard let header = metadata[stringValues: RPCMetadataKeys.authorization].first(where: { _ in true }) else {
      return nil
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
    return String(parts[1])
  }

  /// The common name of the peer's certificate, which the TLS handshake verified against
  /// the stack's CA.
  public static func certificateName(_ context: ServerContext) -> String? {
    guard let transport = context.transportSpecific as? HTTP2ServerTransport.Posix.Context,
      let certificate = transport.peerCertificate
    else { return nil }
    for rdn in certificate.subject {
      for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
        return String(describing: attribute.value)
      }
    }
    return nil
  }
}
