import Foundation

/// The SQL of the package's `sql/` folder, embedded at build time by the EmbedFiles plugin.
///
/// Query files (`sql/queries/*.sql`) hold several statements, each introduced by a line
/// `-- name: NAME`; the statement runs from there to the next such line.
public enum SQLLibrary {
    /// Every embedded file's path inside `sql/`, sorted.
    public static var fileNames: [String] { EmbeddedSQL.files.keys.sorted() }

    /// The text of `sql/PATH`, or nil when there is no such file.
    public static func file(_ path: String) -> String? { EmbeddedSQL.files[path] }

    /// The statement named `name` in `sql/queries/FILE`.
    public static func statement(named name: String, in file: String) throws -> String {
        guard let text = EmbeddedSQL.files["queries/" + file],
              let statement = namedStatements(in: text)[name]
        else { throw StoreError.missingStatement(file: "queries/" + file, name: name) }
        return statement
    }

    /// The statement named `name`, an `INSERT ... VALUES (?1, ..., ?k);` of one row, rewritten to
    /// insert `rows` rows: the VALUES tuple repeated, row r's parameters numbered from r·k + 1.
    /// One statement of many rows costs SQLite much less per row than many statements of one.
    public static func multiRowInsert(named name: String, in file: String, rows: Int) throws -> String {
        let single = try statement(named: name, in: file)
        guard rows > 1 else { return single }
        guard let values = single.range(of: "VALUES", options: .backwards),
              let open = single.range(of: "(", range: values.upperBound..<single.endIndex),
              let close = single.range(of: ")", options: .backwards),
              open.lowerBound < close.lowerBound
        else { throw StoreError.missingStatement(file: "queries/" + file, name: name + " (as a one-row INSERT ... VALUES)") }
        let tuple = String(single[open.lowerBound...close.lowerBound])
        let parameters = tuple.split(separator: "?").count - 1
        var tuples: [String] = []
        for row in 0..<rows {
            var renumbered = ""
            var digits = ""
            func flush() {
                if let number = Int(digits) { renumbered += String(number + row * parameters) }
                digits = ""
            }
            var inParameter = false
            for character in tuple {
                if inParameter, character.isNumber {
                    digits.append(character)
                    continue
                }
                if inParameter { flush(); inParameter = false }
                renumbered.append(character)
                if character == "?" { inParameter = true }
            }
            tuples.append(renumbered)
        }
        return String(single[..<open.lowerBound]) + tuples.joined(separator: ",\n       ")
            + String(single[single.index(after: close.lowerBound)...])
    }

    /// Splits a query file into its named statements.
    static func namedStatements(in text: String) -> [String: String] {
        var statements: [String: String] = [:]
        var currentName: String?
        var currentLines: [Substring] = []
        func flush() {
            if let currentName {
                statements[currentName] = currentLines.joined(separator: "\n")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("-- name:") {
                flush()
                currentName = trimmed.dropFirst("-- name:".count).trimmingCharacters(in: .whitespaces)
                currentLines = []
            } else {
                currentLines.append(line)
            }
        }
        flush()
        return statements
    }
}
