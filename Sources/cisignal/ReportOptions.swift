import Analysis
import ArgumentParser
import Configuration
import Foundation
import Nightly
import Reports

/// Options of the commands that write reports: `report`, `nightly` and `demo`.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The reports folder: DIR/YYYY-MM-DD/ is written and DIR/latest points at it; default: the configuration's `reports`.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("A folder of *.mustache report templates to use instead of the built-in ones (see reports/templates/).", valueName: "dir"))
    var templates: String?

    @Option(name: .long, help: ArgumentHelp("The triage file; default: ./triage.yaml when present.", valueName: "path"))
    var triage: String?

    @Flag(name: .long, help: "Start every CSV file with a UTF-8 byte-order mark, for Excel.")
    var excel = false

    /// The templates, or a usage error naming the file.
    func loadTemplates() throws -> ReportTemplates {
        do {
            return try templates.map { try ReportTemplates.folder($0) } ?? ReportTemplates.builtIn()
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }
    }

    func loadTriage() throws -> Triage {
        do {
            return try Triage.load(path: triage ?? "triage.yaml", required: triage != nil)
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }
    }
}

/// Runs a nightly plan, printing a failure as one line; returns nil after printing when it failed.
func runNightly(_ plan: NightlyPlan, templates: ReportTemplates, log: NightlyLog,
                clock: @escaping @Sendable () -> Date = { Date() }) -> NightlyOutcome? {
    do {
        return try NightlyPipeline.run(plan, templates: templates, log: log, clock: clock)
    } catch {
        FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
        return nil
    }
}
