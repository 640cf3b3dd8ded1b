import Analysis
import Configuration
import Foundation
import Nightly
import Reports
import Store
import TestSupport
import Testing

/// A world whose job names, test names and payload tags try to break the report: Markdown tables
/// (`|`, backticks, newlines), HTML (`<script>`), spreadsheets (`=`, `+`, `@`, `-`) and paths (`../`).
final class HostileWorld {
    let dir = TemporaryDirectory("hostile")
    let databasePath: String
    static let regressing = "=HYPERLINK(\"http://evil\")|`tick`<script>alert(1)</script> *bold* _it_\nsecond line"
    static let flaky = "+cmd|' /C calc'!A0 [sig-x] flaky"
    static let steady = "@SUM(1+1) [sig-ok] steady"
    static let minus = "-2+3 [sig-ok] minus"
    static let job = "periodic-ci-e2e-aws-ovn-`|`<b>x</b>-../../etc"
    static let asOf = Day("2026-11-20")!

    init() throws {
        databasePath = dir.file("db.sqlite")
        let database = try Database(path: databasePath)
        let batch = try IngestBatches.begin(in: database, roots: [], at: 0)
        let loader = try RunLoader(database: database, batchID: batch)
        // 35 days, two runs a day: the regressing test passes until the last 5 days, then fails; the
        // flaky one fails its first attempt every other day all along (a flake, not a regression).
        for offset in (0..<35).reversed() {
            let day = Self.asOf.adding(days: -offset)
            for run in 0..<2 {
                let started = day.startUnixSeconds + 3600 * Int64(2 + run)
                let bad = offset < 5
                let flakeNow = offset % 2 == 0 && run == 0
                let results = [
                    TestResult(name: Self.regressing, classname: "c|<x>", suitePath: "s", passes: bad ? 0 : 1, failures: bad ? 1 : 0, skips: 0),
                    TestResult(name: Self.flaky, classname: "", suitePath: "s", passes: 1, failures: flakeNow ? 1 : 0, skips: 0),
                    TestResult(name: Self.steady, classname: "", suitePath: "s", passes: 1, failures: 0, skips: 0),
                    TestResult(name: Self.minus, classname: "", suitePath: "s", passes: 1, failures: 0, skips: 0),
                ]
                let load = RunLoad(
                    sourcePath: "/world/\(offset)/\(run)", fingerprint: "f\(offset)-\(run)",
                    run: JobRun(job: Self.job, buildID: "\(offset)-\(run)", runType: .periodic, startedAt: started,
                                finishedAt: started + 3600, result: bad ? .failure : .success,
                                payloadTag: "4.18.0-0.nightly-\(day)|<i>=x</i>"),
                    results: results, sources: [], problems: [], junitFiles: 1, junitComplete: true, casesRead: results.count)
                _ = try loader.load(load)
            }
        }
    }

    /// Writes the report of `asOf` into `reports/` and returns its folder.
    func report(triage: Triage = Triage()) throws -> String {
        var plan = NightlyPlan(settings: .defaults, databasePath: databasePath, reportsRoot: dir.file("reports"), asOf: Self.asOf)
        plan.kind = .report
        plan.triage = triage
        let outcome = try NightlyPipeline.run(plan, templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil),
                                              clock: { Date(timeIntervalSince1970: 1_800_000_000) })
        return outcome.reportFolder
    }
}

@Suite struct HostileReportTests {
    @Test func theRegressionAndTheFlakeAreInTheReport() throws {
        let world = try HostileWorld()
        let folder = try world.report()
        let summary = try String(contentsOfFile: folder + "/summary.md", encoding: .utf8)
        #expect(summary.contains(Markdown.text(HostileWorld.regressing)))
        #expect(summary.contains(Markdown.text(HostileWorld.flaky)))
        #expect(summary.contains("**1 new**"))
        let regressions = try String(contentsOfFile: folder + "/regressions.csv", encoding: .utf8)
        #expect(regressions.contains("new,\"'=HYPERLINK"), "the formula is quoted and made inert")
    }

    /// cmark-gfm (the reference GFM renderer) renders every table with as many cells in each row as
    /// in its header, and no HTML from a name gets through as HTML.
    @Test func markdownRendersWithEveryTableIntact() throws {
        guard let cmark = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first(where: FileManager.default.isExecutableFile) else {
            print("skipped: cmark-gfm is not installed (apt-get install cmark-gfm)")
            return
        }
        let world = try HostileWorld()
        let folder = try world.report()
        let markdown = try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.md"))
        let result = try run(cmark, ["-e", "table", "-e", "autolink"], input: markdown)
        #expect(result.status == 0)
        let html = result.stdout
        let tables = html.components(separatedBy: "<table>").dropFirst()
        #expect(tables.count >= 5, "expected the payload, grid, regression, flaky and job tables")
        for table in tables {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr>").dropFirst()
            let header = rows.first!.components(separatedBy: "<th").count - 1
            #expect(header > 1)
            for row in rows.dropFirst() {
                #expect(row.components(separatedBy: "<td").count - 1 == header, "a row lost or gained cells: \(row)")
            }
        }
        #expect(!html.contains("<script>") && !html.contains("<b>x</b>") && !html.contains("<i>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("(&quot;http://evil&quot;)|`tick`"), "the pipe, backticks and URL are shown as text")
        #expect(!html.contains("href=\"http://evil"), "a name never becomes a link")
    }

    /// Python's csv module reads every CSV with the documented columns, and no text cell starts
    /// like a formula.
    @Test func csvFilesReadBackWithTheDocumentedColumnsAndNoFormulas() throws {
        let world = try HostileWorld()
        let folder = try world.report()
        let script = """
            import csv, json, sys
            out = {}
            for name in sys.argv[1:]:
                with open(name, newline='', encoding='utf-8') as f:
                    out[name.rsplit('/', 1)[-1]] = list(csv.reader(f))
            print(json.dumps(out))
            """
        let files = ReportCSV.files.map { folder + "/" + $0.name }
        let result = try run("/usr/bin/env", ["python3", "-c", script] + files)
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: [[String]]]
        for file in ReportCSV.files {
            let rows = try #require(parsed[file.name])
            #expect(rows.first == file.columns, "\(file.name) columns differ from the documented ones")
            for row in rows.dropFirst() {
                #expect(row.count == file.columns.count)
                for cell in row {
                    guard let first = cell.first else { continue }
                    let isNumber = Double(cell) != nil
                    #expect(!"=+-@\t\r".contains(first) || isNumber, "\(file.name): a cell a spreadsheet would run: \(cell)")
                }
            }
        }
        #expect(parsed["regressions.csv"]!.count == 2)
        #expect(parsed["flaky-tests.csv"]!.dropFirst().contains { $0[0] == "'" + HostileWorld.flaky })
    }

    @Test func reportFilesStayInsideTheReportFolder() throws {
        let world = try HostileWorld()
        let folder = try world.report()
        let root = world.dir.file("reports")
        let everything = FileManager.default.enumerator(atPath: world.dir.path)!.allObjects as! [String]
        for path in everything where !path.hasPrefix("db.sqlite") {
            #expect(path.hasPrefix("reports"), "written outside the report folder: \(path)")
        }
        let charts = try FileManager.default.contentsOfDirectory(atPath: folder + "/charts")
        #expect(!charts.isEmpty)
        for chart in charts { #expect(chart.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) }
        #expect(FileManager.default.fileExists(atPath: root + "/latest/summary.md"))
    }

    @Test func excelFilesStartWithAByteOrderMark() throws {
        let world = try HostileWorld()
        var plan = NightlyPlan(settings: .defaults, databasePath: world.databasePath, reportsRoot: world.dir.file("excel"), asOf: HostileWorld.asOf)
        plan.kind = .report
        plan.excel = true
        let outcome = try NightlyPipeline.run(plan, templates: try ReportTemplates.builtIn(), log: try NightlyLog(path: nil))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: outcome.reportFolder + "/tests.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }
}
