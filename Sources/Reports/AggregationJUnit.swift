import Analysis

/// A payload aggregation as a JUnit file, as an aggregator job publishes one: a testsuite per job,
/// a testcase per test; a regression is a failure, a test that was not judged is skipped.
public enum AggregationJUnit {
    public static func render(_ aggregation: PayloadAggregation) -> String {
        let table = aggregation.table
        func column(_ name: String) -> Int { table.column(name)! }
        let (job, test, verdict) = (column("job"), column("test"), column("verdict"))
        func text(_ cell: Cell) -> String {
            switch cell {
            case let .text(value): return value
            case let .integer(value): return String(value)
            case let .number(value): return String(format: "%.6g", value)
            case .null: return ""
            }
        }
        var suites: [(name: String, rows: [[Cell]])] = []
        for row in table.rows {
            let name = text(row[job])
            if suites.last?.name == name { suites[suites.count - 1].rows.append(row) } else { suites.append((name, [row])) }
        }
        let failures = table.rows.filter { text($0[verdict]) == TestVerdict.regressed.rawValue }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(escape("aggregation of " + aggregation.payload))\" tests=\"\(table.rows.count)\" failures=\"\(failures)\">\n"
        for suite in suites {
            let suiteFailures = suite.rows.filter { text($0[verdict]) == TestVerdict.regressed.rawValue }.count
            xml += "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.rows.count)\" failures=\"\(suiteFailures)\">\n"
            for row in suite.rows {
                let summary = "\(text(row[column("passes")])) of \(text(row[column("attempts")])) passed; history "
                    + "\(text(row[column("basis_passes")])) of \(text(row[column("basis_attempts")])); p = \(text(row[column("p_value")])); "
                    + "\(text(row[column("largest_regressed_passes")]).isEmpty ? "no" : text(row[column("largest_regressed_passes")]) + " or fewer") passes would be a regression"
                xml += "    <testcase classname=\"\(escape(suite.name))\" name=\"\(escape(text(row[test])))\">"
                switch TestVerdict(rawValue: text(row[verdict])) {
                case .regressed?:
                    xml += "<failure message=\"\(escape("regressed: " + summary))\">\(escape(aggregation.rules.description))</failure>"
                case .passed?:
                    break
                case .regressedInforming?:
                    xml += "<system-out>\(escape("regressed, informing only: " + summary))</system-out>"
                case let other:
                    xml += "<skipped message=\"\(escape(other?.rawValue ?? "not judged"))\"/>"
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Text for an XML attribute or element: markup characters and control characters escaped or dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
