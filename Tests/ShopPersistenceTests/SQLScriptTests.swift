import Testing

@testable import ShopPersistence

@Suite struct SQLScriptTests {
  @Test func splitsAtTopLevelSemicolons() {
    let statements = SQLScript.statements(in: "CREATE TABLE a (x int);\n\nCREATE INDEX i ON a (x);\n")
    #expect(statements == ["CREATE TABLE a (x int)", "CREATE INDEX i ON a (x)"])
  }

  @Test func keepsSemicolonsInStringsIdentifiersAndDollarQuotes() {
    let script = """
      INSERT INTO t VALUES ('a;b', 'it''s; fine');
      CREATE TABLE "odd;name" (x int);
      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
      DO $$ BEGIN PERFORM 1; END $$;
      """
    let statements = SQLScript.statements(in: script)
    #expect(statements.count == 4)
    #expect(statements[0] == "INSERT INTO t VALUES ('a;b', 'it''s; fine')")
    #expect(statements[1] == #"CREATE TABLE "odd;name" (x int)"#)
    #expect(statements[2].hasSuffix("$body$ SELECT 1; $body$ LANGUAGE sql"))
    #expect(statements[3] == "DO $$ BEGIN PERFORM 1; END $$")
  }

  @Test func dropsComments() {
    let statements = SQLScript.statements(in: "-- a; comment\nSELECT 1; /* b; c */ SELECT 2;")
    #expect(
      statements.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") } == ["SELECT 1", "SELECT 2"])
  }

  @Test func positionalParametersAreNotDollarQuotes() {
    #expect(SQLScript.statements(in: "SELECT $1; SELECT $2") == ["SELECT $1", "SELECT $2"])
  }
}
