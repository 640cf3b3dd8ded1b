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
        xml += "<testsuites name=\"\(XMLText.escape("aggregation of " + aggregation.payload))\" tests=\"\(table.rows.count)\" failures=\"\(failures)\">\n"
        for suite in suites {
            let suiteFailures = suite.rows.filter { text($0[verdict]) == TestVerdict.regressed.rawValue }.count
            xml += "  <testsuite name=\"\(XMLText.escape(suite.name))\" tests=\"\(suite.rows.count)\" failures=\"\(suiteFailures)\">\n"
            for row in suite.rows {
                let summary = "\(text(row[column("passes")])) of \(text(row[column("attempts")])) passed; history "
                    + "\(text(row[column("basis_passes")])) of \(text(row[column("basis_attempts")])); p = \(text(row[column("p_value")])); "
                    + "\(text(row[column("largest_regressed_passes")]).isEmpty ? "no" : text(row[column("largest_regressed_passes")]) + " or fewer") passes would be a regression"
                xml += "    <testcase classname=\"\(XMLText.escape(suite.name))\" name=\"\(XMLText.escape(text(row[test])))\">"
                switch TestVerdict(rawValue: text(row[verdict])) {
                case .regressed?:
                    xml += "<failure message=\"\(XMLText.escape("regressed: " + summary))\">\(XMLText.escape(aggregation.rules.description))</failure>"
                case .passed?:
                    break
                case .regressedInforming?:
                    xml += "<system-out>\(XMLText.escape("regressed, informing only: " + summary))</system-out>"
                case let other:
                    xml += "<skipped message=\"\(XMLText.escape(other?.rawValue ?? "not judged"))\"/>"
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}
