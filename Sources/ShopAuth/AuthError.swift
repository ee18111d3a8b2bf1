/// Why a token or key was refused. Callers answer every case with 401 and log the reason.
public enum AuthError: Error, Sendable, Equatable {
  case malformedToken
  case unsupportedAlgorithm(String)
  case unknownKey(String)
  case invalidSignature
  case expired
  case notYetValid
  case wrongIssuer
  case wrongAudience
  case invalidClaims(String)
  case invalidKey(String)
}
