import ArgumentParser
import Foundation
import Store

/// `cisignal doctor`.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database: integrity, schema version, ledger against rows, orphans, unfinished work.",
        discussion: """
            Opens the database read-only and prints one line per check: ok, note (worth knowing, \
            nothing damaged) or PROBLEM (damaged or inconsistent), each with what to do. It takes no \
            lock and writes nothing, so it is safe while an ingest runs.

            Exit codes: 0 no problem found; 1 a problem found; 4 the database cannot be opened.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The SQLite database; default: the configuration's `database`.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file; default: ./cisignal.yaml when present.", valueName: "path"))
    var config: String?

    func run() throws {
        let settings = try AnalysisOptions.parse(config.map { ["--config", $0] } ?? []).settings()
        let path = db ?? settings.database
        try requireDatabase(path)
        let findings: [CheckFinding]
        do {
            findings = try DatabaseCheck.run(on: try Database(path: path, readOnly: true))
        } catch {
            FileHandle.standardError.write(Data("cisignal: cannot check \(path): \(error)\n".utf8))
            throw ExitStatus.cannotRun.code
        }
        for finding in findings {
            let label = finding.severity == .problem ? "PROBLEM" : finding.severity.rawValue
            print(label.padding(toLength: 8, withPad: " ", startingAt: 0) + finding.check + ": " + finding.detail)
        }
        let problems = findings.filter { $0.severity == .problem }.count
        print(problems == 0 ? "\(path): no problems found" : "\(path): \(problems) problem\(problems == 1 ? "" : "s") found")
        if problems > 0 { throw ExitStatus.problems.code }
    }
}
