import Analysis
import ArgumentParser
import Foundation
import Nightly

/// `cisignal demo`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulate a small CI world and run the nightly job on it: the report in under a minute.",
        discussion: """
            Writes DIR/artifacts (a simulated Prow tree with injected regressions, flaky tests and two \
            corrupt files), then runs `cisignal nightly` on it for the last three days, and prints \
            where the report is. Everything stays in DIR (cisignal.sqlite, reports/, cisignal.yaml, \
            triage.yaml). The same --seed and --date always give the same report: reports/example/ in \
            the source tree is this command's output (scripts/regenerate-example.sh).

            Exit codes: 0 done; 1 a stage failed; 2 usage error (DIR exists and is not empty).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write; must not exist or be empty.", valueName: "dir"))
    var out = "cisignal-demo"

    @Option(name: .long, help: "The seed of the simulated world.")
    var seed: UInt64 = 7

    @Option(name: .long, help: ArgumentHelp("The last simulated day, the last report's day.", valueName: "YYYY-MM-DD"))
    var date = "2026-11-20"

    @Option(name: .long, help: ArgumentHelp("A folder of *.mustache report templates to use instead of the built-in ones.", valueName: "dir"))
    var templates: String?

    func validate() throws {
        if Day(date) == nil { throw ValidationError("--date '\(date)' is not a date such as 2026-11-20") }
    }

    func run() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            if !isFolder.boolValue || !entries.isEmpty {
                throw ValidationError("--out \(out) exists and is not an empty folder; pick another or remove it")
            }
        }
        var plan = DemoPlan(folder: out)
        plan.seed = seed
        plan.endDate = date
        var reportOptions = ReportOptions()
        reportOptions.templates = templates
        let templates = try reportOptions.loadTemplates()
        let started = Date()
        do {
            let (outcome, reports) = try Demo.run(plan, templates: templates) { line in
                FileHandle.standardError.write(Data("demo: \(line)\n".utf8))
            }
            print(outcome.digest().joined(separator: "\n"))
            print(String(format: "demo done in %.1f s. The report: %@/latest/summary.md", Date().timeIntervalSince(started), reports))
        } catch {
            FileHandle.standardError.write(Data("cisignal: demo failed: \(error)\n".utf8))
            throw ExitStatus.problems.code
        }
    }
}
