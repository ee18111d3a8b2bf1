/// Passwords refused at registration because they head every list of leaked passwords.
enum CommonPasswords {
  static func contains(_ password: String) -> Bool {
    list.contains(password.lowercased())
  }

  static let list: Set<String> = [
    "12345678", "123456789", "1234567890", "password", "password1", "password123", "passw0rd",
    "qwertyui", "qwerty123", "qwertyuiop", "11111111", "00000000", "iloveyou", "sunshine",
    "princess", "football", "baseball", "welcome1", "welcome123", "abc12345", "abcd1234",
    "12341234", "87654321", "88888888", "letmein1", "trustno1", "superman", "starwars",
    "whatever", "dragon12", "monkey12", "computer", "internet", "michael1", "jennifer",
    "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "q1w2e3r4", "asdfghjk", "asdf1234", "changeme",
    "admin123", "administrator", "secret123", "test1234", "testtest", "aaaaaaaa", "password!",
    "p@ssw0rd", "p@ssword", "mustang1", "shadow12", "master12", "football1", "baseball1",
    "charlie1", "freedom1", "hello123", "loveyou1", "login123", "pass1234", "987654321",
    "123123123", "11223344", "12121212", "123qweasd", "qazwsxedc", "1234qwer", "qwer1234",
  ]
}
