import Testing

@testable import RedisClient

@Suite struct RedisConfigurationTests {
  @Test func readsURLs() throws {
    let plain = try RedisConfiguration(url: "redis://127.0.0.1:6380/2")
    #expect(plain.host == "127.0.0.1" && plain.port == 6380 && plain.database == 2 && plain.password == nil)
    #expect(plain.tls == nil)
    let auth = try RedisConfiguration(url: "rediss://app:p%40ss@cache.internal")
    #expect(auth.username == "app" && auth.password == "p@ss" && auth.host == "cache.internal" && auth.port == 6379)
    #expect(auth.tls != nil)
    let passwordOnly = try RedisConfiguration(url: "redis://:secret@localhost")
    #expect(passwordOnly.username == nil && passwordOnly.password == "secret")
  }

  @Test func refusesBadURLs() {
    #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://x") }
    #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://host:notaport") }
    #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://host/-1") }
  }

  @Test func scriptsAreNamedByTheirSHA1() {
    #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
  }
}
