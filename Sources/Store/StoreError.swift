import CSQLite

/// Why the database could not be used. Each case's description is one line a person can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or is not a database.
    case cannotOpen(path: String, reason: String)
    /// Another process holds the database's writer lock.
    case busy(path: String, holder: String)
    /// The database was written by a newer cisignal.
    case schemaTooNew(path: String, found: Int, known: Int)
    /// A migration from sql/ failed to apply; the database is left at the previous version.
    case migrationFailed(name: String, reason: String)
    /// A statement named in sql/ is missing (a build problem, not a data problem).
    case missingStatement(file: String, name: String)
    /// SQLite returned an error.
    case sqlite(code: Int32, message: String, context: String)
    /// A write to the database failed: most often for lack of room (the disk or the quota is full,
    /// or the process's file size limit, `ulimit -f`, is reached). SQLite rolled the transaction
    /// back; earlier ones are kept.
    case writeFailed(path: String, reason: String, context: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open database \(path): \(reason)"
        case let .busy(path, holder):
            return "database \(path) is being written by another cisignal run (\(holder)); try again when it ends"
        case let .schemaTooNew(path, found, known):
            return "database \(path) has schema version \(found), newer than this cisignal knows (\(known)); use a newer cisignal"
        case let .migrationFailed(name, reason):
            return "migration sql/\(name) failed: \(reason)"
        case let .missingStatement(file, name):
            return "statement '\(name)' is missing from sql/\(file)"
        case let .sqlite(code, message, context):
            return "SQLite error \(code) (\(message)) while \(context)"
        case let .writeFailed(path, reason, context):
            return "could not write database \(path) while \(context): \(reason); what was stored before "
                + "is kept; free some space (or raise the file size limit) and run again"
        }
    }
}
