import AsyncHTTPClient
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOHTTP1
import ShopContracts
import ShopRPC

/// `gateway-bench`: what the gateway adds to a product read. The same product is read, one
/// request at a time and alternating, through the gateway's HTTP listener and straight from
/// the product service over gRPC (as the gateway calls it, with the `bench` certificate);
/// prints p50 and p95 of each and the difference, last as one JSON object. Each gateway
/// request names a client address of its own (`X-Forwarded-For`, from the trusted loopback),
/// so that the per-address rate limit does not refuse the run.
///
/// `gateway-bench --serve-floor PORT` instead serves ``FrameworkFloor`` until it is stopped.
@main
struct GatewayBenchmark {
  static func main() async throws {
    if CommandLine.arguments.dropFirst().first == "--serve-floor" {
      return try await FrameworkFloor.serve(port: Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 8089)
    }
    var gateway = "http://127.0.0.1:8081"
    var grpcPort = 50052
    var samples = 3000
    var tlsDirectory = ".run/secrets/tls"
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next(), let value = arguments.next() {
      switch flag {
      case "--gateway": gateway = value
      case "--grpc-port": grpcPort = Int(value) ?? grpcPort
      case "--samples": samples = Int(value) ?? samples
      case "--tls-directory": tlsDirectory = value
      default: fatalError("unknown option \(flag)")
      }
    }
    let http = HTTPClient(configuration: .init(connectionPool: .init(idleTimeout: .seconds(30))))
    let grpc = try RPCClientService(
      target: .ipv4(host: "127.0.0.1", port: grpcPort),
      security: RPCSecurity(
        mode: .mutualTLS(
          caFile: "\(tlsDirectory)/ca.pem", certificateFile: "\(tlsDirectory)/bench.pem",
          keyFile: "\(tlsDirectory)/bench-key.pem"))
    ).client
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await grpc.runConnections() }
      let products = Shop_Product_V1_ProductService.Client(wrapping: grpc)
      var search = Shop_Product_V1_SearchProductsRequest()
      search.limit = 1
      guard let id = try await products.searchProducts(search).items.first?.id else {
        fatalError("the catalog is empty: run shop seed")
      }
      var read = Shop_Product_V1_GetProductRequest()
      read.id = id
      let clock = ContinuousClock()
      var viaGateway: [Double] = []
      var direct: [Double] = []
      // The first tenth warms connections and caches and is not counted.
      let warmup = samples / 10
      for index in 0..<(samples + warmup) {
        var request = HTTPClientRequest(url: "\(gateway)/api/v1/products/\(id)")
        request.headers.add(
          name: "X-Forwarded-For", value: "10.\(index / 65_536 % 256).\(index / 256 % 256).\(index % 256)")
        let start = clock.now
        let response = try await http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        let http = clock.now - start
        guard response.status == .ok else { fatalError("the gateway answered \(response.status)") }
        let rpcStart = clock.now
        _ = try await products.getProduct(read)
        let rpc = clock.now - rpcStart
        if index >= warmup {
          viaGateway.append(milliseconds(http))
          direct.append(milliseconds(rpc))
        }
      }
      viaGateway.sort()
      direct.sort()
      let (g50, g95, d50, d95) = (
        percentile(viaGateway, 0.5), percentile(viaGateway, 0.95), percentile(direct, 0.5), percentile(direct, 0.95)
      )
      print("product read, \(samples) each, one at a time, alternating")
      print("  through the gateway   p50 \(fmt(g50)) ms   p95 \(fmt(g95)) ms")
      print("  gRPC to the service   p50 \(fmt(d50)) ms   p95 \(fmt(d95)) ms")
      print(
        #"{"gateway_read_p50_ms": \#(fmt(g50)), "gateway_read_p95_ms": \#(fmt(g95)), "grpc_read_p50_ms": \#(fmt(d50)), "grpc_read_p95_ms": \#(fmt(d95)), "gateway_added_p50_ms": \#(fmt(g50 - d50)), "gateway_added_p95_ms": \#(fmt(g95 - d95))}"#
      )
      grpc.beginGracefulShutdown()
      group.cancelAll()
    }
    try await http.shutdown()
  }

  static func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
  }

  static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
  }

  static func fmt(_ value: Double) -> String { String(format: "%.3f", value) }
}
