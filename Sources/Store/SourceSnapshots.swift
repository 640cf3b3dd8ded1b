/// Looks up the snapshot a source had when it was last read, through its own read-only
/// connection, so reader threads can check runs while the writer writes (WAL readers).
public final class SourceSnapshots {
    private let database: Database
    private let query: Statement

    /// Opens a read-only connection to the database at `path`.
    public init(databasePath path: String) throws {
        database = try Database(path: path, readOnly: true)
        query = try database.prepare(named: "snapshotOfSource", in: "ingest.sql")
    }

    /// The stored snapshot of `sourcePath`, or nil when it has none (or the lookup failed: the
    /// caller then lists the source, which is always correct).
    public func snapshot(of sourcePath: String) -> String? {
        query.bind(sourcePath, at: 1)
        defer { query.reset() }
        guard (try? query.step()) == true else { return nil }
        return query.text(0)
    }
}
