import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore
import NIOHTTP1

/// `checkout-bench`: checkouts through nginx at fixed arrival rates (open loop: each is timed
/// from its scheduled start, so a slow answer cannot hide the ones queued behind it, recorded
/// in an HdrHistogram), at `--rate` for `--seconds`, then ramped to find the highest rate that
/// holds p95 under 500 ms. `--pgbench orders=…,products=…,payments=…` are the rates at which
/// pgbench replayed the SQL of one checkout in each database (scripts/bench-checkout.sh runs
/// it first): the slowest is the ceiling the stack is compared with. Prints a table and, last,
/// one JSON line.
@main
struct CheckoutBenchmark {
  struct Options {
    var gateway = "http://127.0.0.1:8080"
    var adminPasswordFile = ".run/secrets/admin-password"
    var rate = 50
    var seconds = 20
    var rampSeconds = 8
    var customers = 100
    var pgbench: [String: Double] = [:]
  }

  static func main() async throws {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next(), let value = arguments.next() {
      switch flag {
      case "--gateway": options.gateway = value
      case "--admin-password-file": options.adminPasswordFile = value
      case "--rate": options.rate = Int(value) ?? options.rate
      case "--seconds": options.seconds = Int(value) ?? options.seconds
      case "--ramp-seconds": options.rampSeconds = Int(value) ?? options.rampSeconds
      case "--customers": options.customers = Int(value) ?? options.customers
      case "--pgbench":
        for pair in value.split(separator: ",") {
          let parts = pair.split(separator: "=")
          if parts.count == 2, let rate = Double(parts[1]) { options.pgbench[String(parts[0])] = rate }
        }
      default: fatalError("unknown option \(flag)")
      }
    }
    let http = HTTPClient(
      configuration: .init(
        connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)))
    let api = API(http: http, base: options.gateway + "/api/v1")
    let password = try String(contentsOfFile: options.adminPasswordFile, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let admin = try await api.login("admin@swiftshop.local", password)
    let product = try await api.benchProduct(admin: admin)
    let customers = try await api.customers(options.customers)

    let checkout: @Sendable (Int) async -> Bool = { index in
      await api.checkout(product: product, token: customers[index % customers.count])
    }
    _ = await run(rate: 10, seconds: 2, checkout)
    let fixed = await run(rate: options.rate, seconds: options.seconds, checkout)
    FileHandle.standardError.write(
      Data("  \(options.rate)/s for \(options.seconds) s: p95 \(fmt(fixed.p95)) ms\n".utf8))
    var ramp: [(Int, Run)] = []
    var rate = 5
    while rate <= 1000 {
      let result = await run(rate: rate, seconds: options.rampSeconds, checkout)
      ramp.append((rate, result))
      if result.p95 >= 500 || result.errorRate > 0.01 { break }
      FileHandle.standardError.write(Data("  \(rate)/s: p95 \(fmt(result.p95)) ms, \(result.errors) errors\n".utf8))
      rate += rate < 100 ? 5 : rate < 200 ? 25 : 100
    }
    let sustained = ramp.last(where: { $0.1.p95 < 500 && $0.1.errorRate <= 0.01 })?.0 ?? 0
    let ceiling = options.pgbench.values.min() ?? 0

    print("checkout through nginx: POST /api/v1/orders (one line, approving card), open loop")
    print(pad("rate", 10) + pad("count", 8) + pad("p50 ms", 10) + pad("p95 ms", 10) + pad("p99 ms", 10) + "errors")
    let rows = [("\(options.rate)/s*", fixed)] + ramp.map { ("\($0.0)/s", $0.1) }
    for (label, result) in rows {
      print(
        pad(label, 10) + pad("\(result.count)", 8) + pad(fmt(result.p50), 10) + pad(fmt(result.p95), 10)
          + pad(fmt(result.p99), 10) + "\(result.errors)")
    }
    print("* \(options.seconds) s at the fixed rate; the ramp runs \(options.rampSeconds) s per rate")
    print("highest rate with p95 < 500 ms: \(sustained)/s")
    print("pgbench, the SQL of one checkout per transaction, every database at once:")
    for (database, tps) in options.pgbench.sorted(by: { $0.key < $1.key }) {
      print("  \(pad(database, 10)) \(fmt(tps)) checkouts/s")
    }
    print("ceiling \(fmt(ceiling)) checkouts/s; the stack reaches \(fmt(100 * Double(sustained) / ceiling))% of it")
    print(
      #"{"checkout_p50_ms": \#(fmt(fixed.p50)), "checkout_p95_ms": \#(fmt(fixed.p95)), "checkout_p99_ms": \#(fmt(fixed.p99)), "checkout_errors": \#(fixed.errors), "rate_per_s": \#(options.rate), "max_checkouts_per_s": \#(sustained), "pgbench_checkouts_per_s": \#(fmt(ceiling))}"#
    )
    try await http.shutdown()
  }

  struct Run: Sendable {
    var histogram: Histogram<UInt64>
    var errors: Int
    var count: Int { Int(histogram.totalCount) + errors }
    var errorRate: Double { count == 0 ? 0 : Double(errors) / Double(count) }
    func percentile(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 1000 }
    var p50: Double { percentile(50) }
    var p95: Double { histogram.totalCount == 0 ? .infinity : percentile(95) }
    var p99: Double { percentile(99) }
  }

  /// Starts `rate` checkouts per second for `seconds`, each at its scheduled time whatever
  /// the others are doing; latency counts from the scheduled start, in microseconds.
  static func run(rate: Int, seconds: Int, _ send: @escaping @Sendable (Int) async -> Bool) async -> Run {
    let clock = ContinuousClock()
    let start = clock.now + .milliseconds(50)
    let interval = Duration.seconds(1) / rate
    return await withTaskGroup(of: UInt64?.self) { group in
      for index in 0..<(rate * seconds) {
        let scheduled = start + interval * index
        try? await Task.sleep(until: scheduled)
        group.addTask {
          guard await send(index) else { return nil }
          let elapsed = clock.now - scheduled
          return UInt64(elapsed.components.seconds) * 1_000_000
            + UInt64(elapsed.components.attoseconds / 1_000_000_000_000)
        }
      }
      var result = Run(
        histogram: Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three),
        errors: 0)
      for await latency in group {
        if let latency { result.histogram.record(latency) } else { result.errors += 1 }
      }
      return result
    }
  }

  static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
  }
}
