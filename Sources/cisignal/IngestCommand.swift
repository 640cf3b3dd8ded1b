import ArgumentParser
import Artifacts
import Configuration
import Foundation
import Ingest
import Store

/// `cisignal ingest`: loads artifact trees into the database.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load finished job runs from CI artifact trees into the database.",
        discussion: """
            Walks each ROOT for Prow-style job runs (logs/JOB/BUILD, pr-logs/pull/ORG_REPO/PR/JOB/BUILD, \
            pr-logs/pull/batch/JOB/BUILD, or a run packed as BUILD.tar.gz) and loads every finished run: \
            its metadata and the results of its JUnit files, gzipped or not. Runs without finished.json \
            are left for a later ingest. A run loaded before is skipped when none of its files changed, \
            and replaced whole when one did.

            Bad input (corrupt gzip, malformed XML, a broken archive...) is printed as one line naming \
            the file, recorded in the ingest_problems table, and skipped; everything else still loads.

            Exit codes: 0 all loaded; 1 finished with problems; 2 usage error; 4 could not run \
            (database unusable, locked by another run, disk full).
            """
    )

    @Argument(help: ArgumentHelp("Artifact roots: a bucket root, a logs/ folder, a job folder, a run folder or a run archive; default: the configuration's `roots`.",
                                 valueName: "root"))
    var roots: [String] = []

    @Option(name: .long, help: ArgumentHelp("The SQLite database to load into, created when missing; default: the configuration's `database` (cisignal.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file; default: ./cisignal.yaml when present, else built-in defaults.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Largest decompressed size of one file, e.g. 2GiB or 500MB.", valueName: "size"))
    var maxFileSize = "2GiB"

    @Option(name: .long, help: ArgumentHelp("Threads reading and parsing runs while one more writes.", valueName: "n"))
    var threads = 2

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another ingest holding the database to finish.", valueName: "seconds"))
    var wait = 0.0

    @Flag(name: .long, help: "Print the summary as one JSON object on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print no progress and no summary; problems are still printed.")
    var quiet = false

    func validate() throws {
        if ByteSize.parse(maxFileSize) == nil {
            throw ValidationError("--max-file-size '\(maxFileSize)' is not a size such as 2GiB, 500MB or 1048576")
        }
        if !(1...16).contains(threads) { throw ValidationError("--threads must be between 1 and 16") }
        if wait < 0 { throw ValidationError("--wait must not be negative") }
    }

    func run() throws {
        let settings: Settings
        do {
            settings = try Settings.load(configPath: config).settings
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }
        let roots = self.roots.isEmpty ? settings.roots : self.roots
        if roots.isEmpty { throw ValidationError("give at least one artifact root to walk (or list `roots` in the configuration)") }
        for root in roots where !FileManager.default.fileExists(atPath: root) {
            throw ValidationError("artifact root '\(root)' does not exist")
        }
        let db = self.db ?? settings.database
        let output = Output(quiet: quiet || json, progress: true)
        var options = IngestOptions(roots: roots)
        options.limits.maxBytes = ByteSize.parse(maxFileSize)!
        options.readerThreads = threads
        options.payloadSources = settings.payloadSources

        let summary: IngestSummary
        do {
            let lock = try WriterLock(databasePath: db, timeoutSeconds: wait)
            defer { withExtendedLifetime(lock) {} }
            let database = try Database(path: db)
            let events = IngestEvents(
                problem: { problem in output.problem(problem.description) },
                progress: { done, total, cases in output.progress("ingest: \(done)/\(total) runs, \(cases) test cases") })
            summary = try Ingestor(options: options).run(into: database, events: events)
        } catch let error as StoreError {
            if case .busy = error {
                output.error(error.description + (wait > 0 ? " (waited \(wait) s)" : "; `--wait SECONDS` waits for it"))
            } else {
                output.error(error.description)
            }
            throw ExitStatus.cannotRun.code
        }
        output.clearProgress()
        if json {
            output.line(summary.json)
        } else if !quiet {
            for line in summary.lines { output.line(line) }
        }
        if summary.problems > 0 { throw ExitStatus.problems.code }
    }
}

/// Sizes written for people: 2GiB, 500MB, 64KiB, or plain bytes.
enum ByteSize {
    static func parse(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
                                        ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number > 0, number * Double(factor) < 9e18 else { return nil }
            return Int64(number * Double(factor))
        }
        guard let plain = Int64(text), plain > 0 else { return nil }
        return plain
    }
}
