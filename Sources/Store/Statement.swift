import CSQLite

/// A compiled SQL statement. Bind parameters by 1-based index, `step`, read columns by 0-based index,
/// and `reset` to run it again with new values. Binding costs no allocation beyond SQLite's own copy.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds an integer, or NULL when `value` is nil.
    public func bind(_ value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer, or NULL when `value` is nil.
    public func bind(_ value: Int?, at index: Int32) {
        bind(value.map(Int64.init), at: index)
    }

    /// Binds a floating-point number, or NULL when `value` is nil.
    public func bind(_ value: Double?, at index: Int32) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds UTF-8 text, or NULL when `value` is nil.
    public func bind(_ value: String?, at index: Int32) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            // An empty buffer may have no address; SQLite needs a non-NULL pointer for "".
            if let pointer = bytes.baseAddress {
                let text = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), sqliteTransient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            }
        }
    }

    /// Binds text that lives as long as the process (e.g. an enumeration's fixed words) without
    /// SQLite copying it.
    public func bind(_ value: StaticText, at index: Int32) {
        sqlite3_bind_text(handle, index, value.pointer, value.length, nil)
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code: code, context: "running \(sqlDescription)")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Makes the statement ready to run again; bound values stay until rebound.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Steps through a statement that returns no rows, then resets it.
    public func run() throws {
        defer { sqlite3_reset(handle) }
        _ = try step()
    }

    /// True when column `index` of the current row is NULL.
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` of the current row as an integer.
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` of the current row as a floating-point number.
    public func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// Column `index` of the current row as text, or nil when NULL.
    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The SQLite type of column `index` of the current row: SQLITE_INTEGER, SQLITE_FLOAT,
    /// SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    public func columnType(_ index: Int32) -> Int32 { sqlite3_column_type(handle, index) }

    /// The number of columns in a result row.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Column `index`'s name.
    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }

    var sqlDescription: String {
        let sql = String(cString: sqlite3_sql(handle))
        let firstLine = sql.split(whereSeparator: \.isNewline).first { !$0.hasPrefix("--") } ?? ""
        return "'\(firstLine.prefix(80))'"
    }
}

/// SQLite's "copy the value now" destructor marker.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)


/// A NUL-terminated UTF-8 string allocated once and never freed, for binding without a copy.
public struct StaticText: @unchecked Sendable {
    let pointer: UnsafePointer<CChar>
    let length: Int32

    public init(_ text: String) {
        let bytes = Array(text.utf8CString)
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        storage.initialize(from: bytes, count: bytes.count)
        pointer = UnsafePointer(storage)
        length = Int32(bytes.count - 1)
    }
}
