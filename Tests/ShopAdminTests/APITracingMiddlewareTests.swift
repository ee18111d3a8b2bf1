import Hummingbird
import Testing

@testable import ShopAdmin

@Suite struct APITracingMiddlewareTests {
  @Test func theOperationsRoutesAreNotTracedAndEverythingElseIs() {
    typealias Tracing = APITracingMiddleware<BasicRequestContext>
    #expect(["/metrics", "/health", "/health/live", "/health/ready"].allSatisfy(Tracing.isOperational))
    #expect(
      !["/v1/payments", "/webhooks/payments", "/healthy", "/api/v1/metrics", "/status"].contains(
        where: Tracing.isOperational))
  }
}
