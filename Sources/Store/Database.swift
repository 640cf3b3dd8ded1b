import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open SQLite connection, configured for CISignal: WAL journal, NORMAL sync, migrations applied.
///
/// A `Database` is used from one thread at a time. Open a second one for concurrent readers.
public final class Database {
    /// The path the database was opened at.
    public let path: String
    let handle: OpaquePointer

    /// Opens (creating when needed) the database at `path` and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: a file path, or ":memory:".
    ///   - readOnly: open for reading only; migrations are then checked, not applied.
    ///   - busyTimeoutMilliseconds: how long a statement waits for another connection's lock.
    public convenience init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000) throws {
        try self.init(path: path, readOnly: readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                      migratingThrough: Migrations.latestVersion)
    }

    /// Opens with migrations applied only up to `version` (for tests of later migrations).
    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32, migratingThrough version: Int) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw StoreError.cannotOpen(path: path, reason: reason)
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(handle, 1)
        do {
            // Reading the header makes a non-database file fail here, with a clear message.
            try execute("SELECT count(*) FROM sqlite_master", context: "reading the schema")
            if !readOnly {
                try execute("""
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = NORMAL;
                    PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -32000;
                    """, context: "configuring the connection")
            }
            try Migrations.bringUpToDate(self, readOnly: readOnly, through: version)
        } catch let error as StoreError {
            sqlite3_close_v2(handle)
            if case let .sqlite(_, message, _) = error { throw StoreError.cannotOpen(path: path, reason: message) }
            throw error
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows.
    public func execute(_ sql: String, context: String = "running SQL") throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(errorMessage)
            let failure = error(code: code, context: context)
            if case .writeFailed = failure { throw failure }
            throw StoreError.sqlite(code: code, message: message, context: context)
        }
    }

    /// Compiles `sql` into a statement to bind and step many times.
    public func prepare(_ sql: String, context: String = "preparing SQL") throws -> Statement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw error(code: code, context: context)
        }
        return Statement(handle: statement, database: self)
    }

    /// Prepares the statement named `name` in `sql/queries/FILE`.
    public func prepare(named name: String, in file: String) throws -> Statement {
        try prepare(SQLLibrary.statement(named: name, in: file), context: "preparing \(file):\(name)")
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a busy database fails before any work.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE", context: "starting a transaction")
        do {
            let value = try body()
            try execute("COMMIT", context: "committing a transaction")
            return value
        } catch {
            try? execute("ROLLBACK", context: "rolling back a transaction")
            throw error
        }
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs a query and returns its first column of its first row as an integer, or nil when no row.
    public func integer(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    func error(code: Int32, context: String) -> StoreError {
        let extended = sqlite3_extended_errcode(handle)
        // SQLITE_FULL, or a failed write. SQLite keeps the errno of a failed write only sometimes
        // (later calls overwrite it), so a write error is named by its errno when that says "no
        // room", and otherwise as a write error that is most likely the same thing.
        // SQLITE_IOERR_WRITE and SQLITE_IOERR_SHMSIZE (C macros Swift does not import).
        let writeErrors: [Int32] = [SQLITE_IOERR | (3 << 8), SQLITE_IOERR | (19 << 8)]
        if extended & 0xff == SQLITE_FULL || writeErrors.contains(extended) {
            let systemError = sqlite3_system_errno(handle)
            let reason = [ENOSPC, EFBIG, EDQUOT].contains(systemError)
                ? String(cString: strerror(systemError))
                : extended & 0xff == SQLITE_FULL ? "the disk is full" : "a write failed (is the disk full?)"
            return .writeFailed(path: path, reason: reason, context: context)
        }
        return .sqlite(code: extended, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}
