import RedisProtocol

extension RedisClient {
  /// Runs a script by its SHA-1 (`EVALSHA`); when the server does not know it (a restart, or
  /// `SCRIPT FLUSH`), loads it (`SCRIPT LOAD`) and runs it again.
  public func evaluate(_ script: RedisScript, keys: [String] = [], arguments: [RESPArgument] = []) async throws
    -> RESPValue
  {
    let call: [RESPArgument] =
      ["EVALSHA", RESPArgument(script.sha1), RESPArgument(keys.count)] + keys.map { RESPArgument($0) } + arguments
    do {
      return try await send(call)
    } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
      let loaded = try await send(["SCRIPT", "LOAD", RESPArgument(script.source)])
      guard loaded.string == script.sha1 else {
        throw RedisError.unexpectedReply("SCRIPT LOAD returned \(loaded), expected \(script.sha1)")
      }
      return try await send(call)
    }
  }
}
