import Analysis
import Foundation
import Testing
@testable import Reports

@Suite struct TableFormatTests {
    let table = ResultTable(columns: ["name", "runs", "pass_pct"], rows: [
        [.text("plain"), .integer(10), .number(95.5)],
        [.text("=HYPERLINK(\"http://x\")"), .integer(3), .null],
        [.text("a, \"quoted\"\nname"), .integer(0), .number(100)],
        [.text("-1+2"), .integer(1), .number(33.333333)],
    ])

    @Test func csvIsRFC4180AndNeverAFormula() {
        let csv = CSV.render(table)
        #expect(csv.hasPrefix("name,runs,pass_pct\r\n"))
        #expect(csv.contains("plain,10,95.50\r\n"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\",3,\r\n"))
        #expect(csv.contains("\"a, \"\"quoted\"\"\nname\",0,100.00\r\n"))
        #expect(csv.contains("'-1+2,1,33.33\r\n"))
        for dangerous in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(!CSV.field(dangerous + "x").hasPrefix(dangerous), "\(dangerous) left live")
        }
        #expect(CSV.field("ok") == "ok")
        let tiny = ResultTable(columns: ["p"], rows: [[.number(1.5e-9)], [.number(0)], [.number(0.004)]])
        #expect(CSV.render(tiny, decimals: 2) == "p\r\n1.500e-09\r\n0.00\r\n4.000e-03\r\n")
    }

    @Test func csvReadsBackWithPythonsCSVModule() throws {
        let python = "/usr/bin/env"
        let csv = CSV.render(table)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["python3", "-c", "import csv,sys,json; print(json.dumps(list(csv.reader(sys.stdin, strict=True))))"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(csv.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String]])
        #expect(rows.count == 5)
        #expect(rows[0] == ["name", "runs", "pass_pct"])
        #expect(rows[3] == ["a, \"quoted\"\nname", "0", "100.00"])
        #expect(rows.allSatisfy { $0.count == 3 })
    }

    @Test func textTablesAlignAndStayOneLinePerRow() {
        let text = TableFormat.table.render(table)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("name"))
        #expect(lines[2] == "plain                     10     95.50")
        #expect(lines[4].contains("a, \"quoted\" name"))
    }

    @Test func jsonKeepsTypesNullsAndTheColumnOrder() throws {
        let json = TableFormat.json.render(table)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows[0]["runs"] as? Int == 10)
        #expect(rows[0]["pass_pct"] as? Double == 95.5)
        #expect(rows[1]["pass_pct"] is NSNull)
        #expect(rows[2]["name"] as? String == "a, \"quoted\"\nname")
        #expect(json.hasPrefix("[{\"name\":\"plain\",\"runs\":10,\"pass_pct\":95.5}"))
        #expect(TableFormat.json.render(ResultTable(columns: ["a"], rows: [])) == "[]\n")
    }
}
