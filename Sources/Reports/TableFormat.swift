import Analysis
import Foundation
import Store

/// How a result table is printed.
public enum TableFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case table
    /// RFC 4180 CSV: UTF-8, a header row, CRLF line ends, quoted where needed, formulas inert.
    case csv
    /// One JSON array of objects, keys as the column names.
    case json

    /// The table rendered in this format. Rates are printed with `decimals` decimals.
    public func render(_ table: ResultTable, decimals: Int = 2) -> String {
        switch self {
        case .table: return TextTable.render(table, decimals: decimals)
        case .csv: return CSV.render(table, decimals: decimals)
        case .json: return JSONTable.render(table)
        }
    }
}

/// A number as printed in tables and CSV: integers as they are, others with fixed decimals.
func formatted(_ cell: Cell, decimals: Int) -> String {
    switch cell {
    case let .integer(value): return String(value)
    case let .number(value):
        guard value.isFinite else { return "" }
        // A value too small for the fixed decimals (a p-value of 1e-9) keeps its digits.
        if value != 0, abs(value) < 0.5 * pow(10, -Double(decimals)) { return String(format: "%.3e", value) }
        return String(format: "%.\(decimals)f", value)
    case let .text(value): return value
    case .null: return ""
    }
}

/// RFC 4180 CSV.
public enum CSV {
    /// The table as CSV, header first, CRLF after every record.
    public static func render(_ table: ResultTable, decimals: Int = 2) -> String {
        var out = table.columns.map(field).joined(separator: ",") + "\r\n"
        for row in table.rows {
            out += row.map { cell -> String in
                if case .text = cell { return field(formatted(cell, decimals: decimals)) }
                return formatted(cell, decimals: decimals)
            }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One text field: made inert when a spreadsheet would read it as a formula (it starts with
    /// =, +, -, @, tab or CR: a leading apostrophe is added), then quoted when it holds a comma,
    /// a quote, CR or LF (quotes doubled).
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Aligned columns: numbers right-aligned, text left-aligned and cut at 80 characters.
enum TextTable {
    static func render(_ table: ResultTable, decimals: Int) -> String {
        let maximumWidth = 80
        func show(_ cell: Cell) -> String {
            var text = formatted(cell, decimals: decimals)
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            if text.count > maximumWidth { text = String(text.prefix(maximumWidth - 1)) + "…" }
            return text
        }
        let cells = table.rows.map { $0.map(show) }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], text.count) }
        }
        let numeric = table.columns.indices.map { index in
            table.rows.allSatisfy { row in
                switch row[index] {
                case .integer, .number, .null: return true
                case .text: return false
                }
            }
        }
        func line(_ texts: [String]) -> String {
            texts.enumerated().map { index, text in
                let pad = String(repeating: " ", count: widths[index] - text.count)
                return numeric[index] ? pad + text : text + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(table.columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += cells.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A JSON array of row objects, keys in the table's column order (as documented), one row a line.
enum JSONTable {
    static func render(_ table: ResultTable) -> String {
        let keys = table.columns.map(JSONText.quoted)
        let rows = table.rows.map { row in
            "{" + zip(keys, row).map { key, cell in key + ":" + value(cell) }.joined(separator: ",") + "}"
        }
        return "[" + rows.joined(separator: ",\n") + "]\n"
    }

    static func value(_ cell: Cell) -> String {
        switch cell {
        case let .integer(number): return String(number)
        case let .number(number): return number.isFinite ? "\(number)" : "null"
        case let .text(text): return JSONText.quoted(text)
        case .null: return "null"
        }
    }
}
