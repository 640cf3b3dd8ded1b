import ArgumentParser
import Foundation
import Simulation

/// `cisignal simulate`: writes a simulated Prow artifact tree and its ground truth.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a realistic simulated CI artifact tree and ground-truth.json.",
        discussion: """
            Writes periodic runs of nightly jobs (one payload a day, ending at --end-date), presubmit and \
            batch runs, with flaky tests, injected regressions, infrastructure failures, aborted and \
            unfinished runs, runs packed as BUILD.tar.gz and a few corrupt files. DIR/ground-truth.json \
            lists every injected fact and the totals `cisignal ingest DIR` will count. The same seed and \
            options always give the same bytes.

            Exit codes: 0 written; 2 usage error (bad option, or DIR not empty); 4 could not write.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write; created when missing, must be empty.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "The seed of every random choice.")
    var seed: UInt64 = SimulationOptions.defaults.seed

    @Option(name: .long, help: "Nightly payload days, ending at --end-date.")
    var days = SimulationOptions.defaults.days

    @Option(name: .long, help: "Periodic jobs (1-80), chosen in a fixed order that covers the variants.")
    var jobs = SimulationOptions.defaults.jobs

    @Option(name: .long, help: "Runs of each periodic job per day.")
    var runsPerDay = SimulationOptions.defaults.runsPerDay

    @Option(name: .long, help: "Tests in the e2e pool.")
    var tests = SimulationOptions.defaults.tests

    @Option(name: .long, help: ArgumentHelp("The last payload day.", valueName: "YYYY-MM-DD"))
    var endDate = SimulationOptions.defaults.endDate

    @Option(name: .long, help: "The release the jobs test.")
    var release = SimulationOptions.defaults.release

    @Option(name: .long, help: "Presubmit runs of pull-ci-openshift-origin-master-e2e-aws-ovn.")
    var presubmits = SimulationOptions.defaults.presubmits

    @Option(name: .long, help: "Batch runs under pr-logs/pull/batch/.")
    var batches = SimulationOptions.defaults.batches

    @Option(name: .long, help: "Single-test regressions to inject.")
    var regressions = SimulationOptions.defaults.regressions

    @Option(name: .long, help: "Whole-component regressions to inject (3-5 tests of one component each).")
    var componentRegressions = SimulationOptions.defaults.componentRegressions

    @Option(name: .long, help: "Share of runs packed as one BUILD.tar.gz instead of a folder.")
    var archiveShare = SimulationOptions.defaults.archiveShare

    @Option(name: .long, help: "Share of periodic runs that fail before the tests (install failed, or no JUnit).")
    var infraShare = SimulationOptions.defaults.infraShare

    @Option(name: .long, help: "Corrupt JUnit files to write (alternately a truncated gzip and a malformed XML).")
    var corruptFiles = SimulationOptions.defaults.corruptFiles

    @Option(name: .long, help: "Average bytes of <system-out> per test case; failures get more.")
    var outputBytes = SimulationOptions.defaults.outputBytes

    @Option(name: .long, help: "Share of runs whose e2e JUnit is verbose (files of several MB).")
    var verboseShare = SimulationOptions.defaults.verboseShare

    @Option(name: .long, help: "Average bytes of <system-out> per test case in a verbose run.")
    var verboseOutputBytes = SimulationOptions.defaults.verboseOutputBytes

    @Option(name: .long, help: "zlib deflate level of gzipped files (1-9).")
    var gzipLevel: Int32 = SimulationOptions.defaults.gzipLevel

    @Option(name: .long, help: "Threads writing runs; the output is the same for any number.")
    var threads = SimulationOptions.defaults.threads

    @Flag(name: .long, help: "Replace DIR if it holds an earlier simulation (it must contain ground-truth.json).")
    var force = false

    @Flag(name: .shortAndLong, help: "Print no summary.")
    var quiet = false

    var options: SimulationOptions {
        var options = SimulationOptions()
        options.seed = seed
        options.days = days
        options.jobs = jobs
        options.runsPerDay = runsPerDay
        options.tests = tests
        options.endDate = endDate
        options.release = release
        options.presubmits = presubmits
        options.batches = batches
        options.regressions = regressions
        options.componentRegressions = componentRegressions
        options.archiveShare = archiveShare
        options.infraShare = infraShare
        options.corruptFiles = corruptFiles
        options.outputBytes = outputBytes
        options.verboseShare = verboseShare
        options.verboseOutputBytes = verboseOutputBytes
        options.gzipLevel = gzipLevel
        options.threads = threads
        return options
    }

    func validate() throws {
        do {
            try options.validate()
        } catch {
            throw ValidationError(error.description)
        }
        if out.isEmpty { throw ValidationError("--out must name a folder") }
    }

    func run() throws {
        let output = Output(quiet: quiet, progress: false)
        do {
            try Simulator.prepareOutput(path: out, force: force)
        } catch {
            if case .outputNotEmpty = error { throw ValidationError(error.description) }
            output.error(error.description)
            throw ExitStatus.cannotRun.code
        }
        let summary: SimulationSummary
        do {
            summary = try Simulator.run(options: options, path: out)
        } catch {
            output.error(error.description)
            throw ExitStatus.cannotRun.code
        }
        if !quiet {
            for line in summary.lines { output.line(line) }
        }
    }
}
