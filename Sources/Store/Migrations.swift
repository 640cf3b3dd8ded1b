import CSQLite
import Foundation

/// One schema migration: a file `sql/migrations/NNNN_name.sql`, applied once, in order.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with; the schema version after it is applied.
    public var version: Int
    /// The file's path inside `sql/`.
    public var name: String
    /// The SQL to run.
    public var sql: String
}

/// The schema migrations and their application. The version is kept in `PRAGMA user_version`
/// and each applied migration is listed in `schema_migrations` with its time.
public enum Migrations {
    /// Every migration in `sql/migrations/`, in version order.
    public static var all: [Migration] {
        SQLLibrary.fileNames
            .filter { $0.hasPrefix("migrations/") }
            .compactMap { name -> Migration? in
                let file = name.dropFirst("migrations/".count)
                guard let version = Int(file.prefix { $0.isNumber }), let sql = SQLLibrary.file(name) else { return nil }
                return Migration(version: version, name: name, sql: sql)
            }
            .sorted { $0.version < $1.version }
    }

    /// The schema version this build knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// The database's schema version.
    public static func version(of database: Database) throws -> Int {
        Int(try database.integer("PRAGMA user_version") ?? 0)
    }

    /// Applies the migrations the database lacks, each in its own transaction.
    static func bringUpToDate(_ database: Database, readOnly: Bool, through target: Int) throws {
        let current = try version(of: database)
        if current > latestVersion {
            throw StoreError.schemaTooNew(path: database.path, found: current, known: latestVersion)
        }
        let pending = all.filter { $0.version > current && $0.version <= target }
        if pending.isEmpty { return }
        if readOnly {
            throw StoreError.cannotOpen(
                path: database.path,
                reason: "schema version \(current) is older than \(latestVersion); run `cisignal ingest` once to upgrade it")
        }
        for migration in pending {
            do {
                try database.inTransaction {
                    // Another process may have migrated while we waited for the lock.
                    guard try version(of: database) < migration.version else { return }
                    try database.execute(migration.sql, context: "applying \(migration.name)")
                    let record = try database.prepare(named: "recordMigration", in: "schema.sql")
                    record.bind(migration.version, at: 1)
                    record.bind(migration.name, at: 2)
                    record.bind(Int64(Date().timeIntervalSince1970), at: 3)
                    try record.run()
                    try database.execute("PRAGMA user_version = \(migration.version)", context: "recording the schema version")
                }
            } catch let error as StoreError {
                if case .sqlite(_, let message, _) = error {
                    throw StoreError.migrationFailed(name: migration.name, reason: message)
                }
                throw error
            }
        }
    }
}
