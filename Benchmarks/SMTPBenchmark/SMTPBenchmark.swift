import ArgumentParser
import Foundation
import Logging
import SMTPClient
import SMTPProtocol

/// `smtp-bench`: messages per second through the SMTPClient library to one server, with the
/// parameters of `scripts/bench/smtp_smtplib.py` so that the two compare against one sink in
/// one run. `concurrency` senders share the client (one session each, kept open between
/// messages); every message is a small multipart email like an order confirmation. Prints
/// one JSON object: `{"client", "messages", "concurrency", "emails_per_s"}`.
@main
struct SMTPBenchmark {
  struct Options: ParsableArguments {
    @Option(help: "The server's port on 127.0.0.1.") var port = 1025
    @Option(help: "Messages in all.") var messages = 2000
    @Option(help: "Senders at once.") var concurrency = 4
  }

  static func main() async throws {
    let options = Options.parseOrExit()
    var logger = Logger(label: "smtp-bench")
    logger.logLevel = .warning
    let client = SMTPClient(
      configuration: SMTPConfiguration(
        host: "127.0.0.1", port: options.port, security: .plain, maximumIdleConnections: options.concurrency),
      logger: logger)
    let message = MailMessage(
      from: MailAddress(try SMTPMailbox("shop@swiftshop.local"), name: "SwiftShop"),
      to: [MailAddress(try SMTPMailbox("bench@example.com"))], subject: "Your order 0b7e… is confirmed",
      text: String(repeating: "Thank you for your order.\n", count: 20),
      html: "<p>" + String(repeating: "Thank you for your order.<br>", count: 20) + "</p>")
    let raw = try message.rendered()
    let (from, to) = (message.from.mailbox, message.to.map(\.mailbox))
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for sender in 0..<options.concurrency {
        let share = options.messages / options.concurrency + (sender < options.messages % options.concurrency ? 1 : 0)
        group.addTask {
          for _ in 0..<share { try await client.send(from: from, to: to, message: raw) }
        }
      }
      try await group.waitForAll()
    }
    let elapsed = clock.now - start
    await client.shutdown()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let figures: [String: Any] = [
      "client": "swift", "messages": options.messages, "concurrency": options.concurrency,
      "emails_per_s": (Double(options.messages) / seconds * 10).rounded() / 10,
    ]
    let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
  }
}
