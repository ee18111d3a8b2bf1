/// Splits a SQL script into its statements.
///
/// PostgreSQL's extended query protocol, which postgres-nio speaks, takes one statement at a
/// time, so a migration file is cut at each top-level `;`. Semicolons inside quoted strings,
/// quoted identifiers, dollar-quoted bodies and comments do not cut.
public enum SQLScript {
  public static func statements(in script: String) -> [String] {
    var statements: [String] = []
    var current = ""
    let chars = Array(script)
    var i = 0

    func flush() {
      let trimmed = current.trimmingWhitespace()
      if !trimmed.isEmpty { statements.append(trimmed) }
      current = ""
    }

    while i < chars.count {
      let c = chars[i]
      let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
      switch c {
      case "-" where next == "-":
        while i < chars.count && chars[i] != "\n" { i += 1 }
        current.append("\n")
        continue
      case "/" where next == "*":
        i += 2
        while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
        i += 2
        current.append(" ")
        continue
      case "'", "\"":
        current.append(c)
        i += 1
        while i < chars.count {
          current.append(chars[i])
          if chars[i] == c {
            // A doubled quote is an escaped quote, not the end.
            if i + 1 < chars.count && chars[i + 1] == c {
              current.append(c)
              i += 2
              continue
            }
            break
          }
          i += 1
        }
        i += 1
        continue
      case "$":
        if let tag = dollarTag(chars, at: i) {
          current.append(contentsOf: tag)
          i += tag.count
          while i < chars.count {
            if chars[i] == "$", Array(chars[i..<min(i + tag.count, chars.count)]) == Array(tag) {
              current.append(contentsOf: tag)
              i += tag.count
              break
            }
            current.append(chars[i])
            i += 1
          }
          continue
        }
      case ";":
        flush()
        i += 1
        continue
      default:
        break
      }
      current.append(c)
      i += 1
    }
    flush()
    return statements
  }

  /// `$$` or `$tag$` starting at `index`, if any.
  private static func dollarTag(_ chars: [Character], at index: Int) -> String? {
    var j = index + 1
    while j < chars.count, chars[j] == "_" || chars[j].isLetter || (chars[j].isNumber && j > index + 1) {
      j += 1
    }
    guard j < chars.count, chars[j] == "$" else { return nil }
    return String(chars[index...j])
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
