import Store

/// One value of a query result.
public enum Cell: Sendable, Hashable {
    case integer(Int64)
    case number(Double)
    case text(String)
    case null

    /// The value as a number for sorting; nil for text and NULL.
    public var numeric: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .number(value): return value
        case .text, .null: return nil
        }
    }
}

/// Rows of named columns, as a query returned them: what the commands print and reports write.
public struct ResultTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The position of a column, or nil.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The rows sorted by a column: NULLs last, numbers before text, ties kept in their order.
    public func sorted(by name: String, descending: Bool) -> ResultTable {
        guard let index = column(name) else { return self }
        let order = rows.indices.sorted { a, b in
            let left = rows[a][index], right = rows[b][index]
            switch (left, right) {
            case (.null, .null): return a < b
            case (.null, _): return false
            case (_, .null): return true
            default: break
            }
            if let x = left.numeric, let y = right.numeric, x != y { return descending ? x > y : x < y }
            if case let .text(x) = left, case let .text(y) = right, x != y { return descending ? x > y : x < y }
            return a < b
        }
        return ResultTable(columns: columns, rows: order.map { rows[$0] })
    }

    /// The first `count` rows.
    public func prefix(_ count: Int) -> ResultTable {
        ResultTable(columns: columns, rows: Array(rows.prefix(count)))
    }

    /// Reads every row of a statement.
    static func reading(_ statement: Statement) throws -> ResultTable {
        let columns = (0..<statement.columnCount).map(statement.columnName)
        var rows: [[Cell]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map(statement.cell))
        }
        return ResultTable(columns: columns, rows: rows)
    }
}

import CSQLite

extension Statement {
    /// Column `index` of the current row as a typed cell.
    func cell(_ index: Int32) -> Cell {
        switch columnType(index) {
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .number(double(index))
        case SQLITE_NULL: return .null
        default: return .text(text(index) ?? "")
        }
    }
}
