import Foundation

/// The SQL of the package's `sql/` folder, embedded at build time by the EmbedSQL plugin.
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
