extension String {
  /// Whether the text holds a control character (Unicode category Cc) other than `allowed`:
  /// text a client sends for storage may not, since PostgreSQL cannot store NUL and none
  /// belongs in a name.
  public func containsControlCharacters(allowing allowed: Set<Character> = []) -> Bool {
    contains { character in
      !allowed.contains(character)
        && character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
  }
}
