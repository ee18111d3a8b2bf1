import GRPCCore
import ShopRPC
import Testing

@testable import UserService

@Suite struct UserErrorRPCTests {
  @Test func carriesTheStableCodeAndDetailInMetadata() throws {
    let error = RPCError(
      UserError.validationFailed([FieldViolation(field: "email", reason: "is not an email address")]))
    #expect(error.code == .invalidArgument)
    #expect(Array(error.metadata[stringValues: RPCMetadataKeys.errorCode]) == ["validation_failed"])
    let detail = try #require(error.metadata[stringValues: RPCMetadataKeys.errorDetail].first(where: { _ in true }))
    #expect(detail.contains("\"field\":\"email\""))
  }

  @Test func mapsEveryCaseToAGRPCCode() {
    let cases: [(UserError, RPCError.Code, String)] = [
      (.emailTaken, .alreadyExists, "email_taken"),
      (.invalidCredentials, .unauthenticated, "invalid_credentials"),
      (.invalidRefreshToken, .unauthenticated, "unauthorized"),
      (.loginThrottled(retryAfterSeconds: 7), .resourceExhausted, "too_many_requests"),
      (.notFound("address"), .notFound, "not_found"),
    ]
    for (userError, code, apiCode) in cases {
      let error = RPCError(userError)
      #expect(error.code == code)
      #expect(Array(error.metadata[stringValues: RPCMetadataKeys.errorCode]) == [apiCode])
    }
    #expect(
      Array(RPCError(UserError.loginThrottled(retryAfterSeconds: 7)).metadata[stringValues: RPCMetadataKeys.retryAfter])
        == ["7"])
  }
}
