// Store: the SQLite database: opening, migrations from sql/, and the run loader.
// It must never hold SQL that belongs in sql/, or leave a run partly written.
public enum Store {
    /// The embedded SQL files, for tests and diagnostics.
    public static var sqlFileNames: [String] { EmbeddedSQL.files.keys.sorted() }
}
