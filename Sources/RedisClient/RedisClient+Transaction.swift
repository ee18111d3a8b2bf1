import RedisProtocol

extension RedisClient {
  /// `MULTI` … `EXEC` on a dedicated connection: the commands run atomically and their
  /// replies come back in order. A command the server refuses while queueing aborts the
  /// transaction (`EXECABORT`) and throws.
  public func transaction(_ commands: [[RESPArgument]]) async throws -> [RESPValue] {
    try await withDedicatedConnection { connection in
      let timeout = configuration.commandTimeout
      let replies = try await connection.pipeline([["MULTI"]] + commands + [["EXEC"]], timeout: timeout)
      switch replies.last {
      case .success(.array(let results)):
        return results
      case .success(.null):
        throw RedisError.server("EXECABORT transaction discarded (a watched key changed)")
      case .failure(let error):
        throw error
      default:
        throw RedisError.unexpectedReply("EXEC expects an array")
      }
    }
  }
}
