import Crypto
import Foundation

/// How many logins an account, and a client address, may try in one window before further
/// ones are refused without checking the password. Every attempt is counted before its
/// password is checked, so parallel guesses cannot slip past the limit; a successful login
/// clears its account's count and takes itself off its client's.
public struct LoginThrottle: Sendable, Equatable {
  public var maxFailures: Int
  public var maxFailuresPerClient: Int
  public var window: Duration

  public init(maxFailures: Int = 10, maxFailuresPerClient: Int = 200, window: Duration = .seconds(300)) {
    self.maxFailures = maxFailures
    self.maxFailuresPerClient = maxFailuresPerClient
    self.window = window
  }

  /// Attempts counted in the current window of one key, this one included.
  public struct Count: Sendable, Equatable {
    public var attempts: Int
    public var windowStartedAt: Date

    public init(attempts: Int, windowStartedAt: Date) {
      self.attempts = attempts
      self.windowStartedAt = windowStartedAt
    }
  }

  /// The email is digested: the key holds whatever a client typed, NUL included, and a count
  /// needs no address in the clear.
  static func accountKey(_ email: String) -> String {
    "account:" + SHA256.hash(data: Data(email.lowercased().utf8)).map { String(format: "%02x", $0) }.joined()
  }
  static func clientKey(_ address: String) -> String { "client:\(address)" }

  /// Seconds until the attempt may be tried again, or `nil` when it may go on to the password.
  func refusal(account: Count, client: Count?, now: Date) -> Int? {
    var reopens: [Date] = []
    if account.attempts > maxFailures { reopens.append(account.windowStartedAt) }
    if let client, client.attempts > maxFailuresPerClient { reopens.append(client.windowStartedAt) }
    guard let latest = reopens.max() else { return nil }
    let seconds = latest.addingTimeInterval(Double(window.components.seconds)).timeIntervalSince(now)
    return max(1, Int(seconds.rounded(.up)))
  }
}
