// cisignal: the command-line front of CISignal. One type per command, help written beside each
// option. It must never hold pipeline logic: it parses options, calls the modules, prints, exits.
import ArgumentParser
import Foundation

/// The root command.
struct CISignal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cisignal",
        abstract: "Loads CI artifact trees into SQLite and reports test pass, fail and flake rates.",
        discussion: """
            Exit codes: 0 success; 1 finished, but with problems (bad input files, recorded in the \
            database); 2 usage error; 4 could not run (database unusable, locked by another run, \
            disk full).
            """,
        version: "0.1.0",
        subcommands: [IngestCommand.self, RollupCommand.self, TestsCommand.self, JobsCommand.self, FlakyCommand.self,
                      ComponentsCommand.self, VariantsCommand.self, ReadinessCommand.self, AggregateCommand.self,
                      ThresholdTableCommand.self, ReportCommand.self, NightlyCommand.self, DemoCommand.self, DoctorCommand.self,
                      SimulateCommand.self, ConfigCommand.self]
    )
}

/// The process's exit codes, the same for every command.
enum ExitStatus: Int32 {
    case success = 0
    case problems = 1
    case usage = 2
    case cannotRun = 4

    var code: ExitCode { ExitCode(rawValue) }
}

@main
enum Main {
    static func main() {
        // Past the file size limit (ulimit -f) a write should fail with EFBIG, which is reported
        // like a full disk, rather than the default SIGXFSZ ending the process without a word.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try CISignal.parseAsRoot()
            try command.run()
        } catch {
            // The argument parser's own usage code is 64; ours is 2, as documented.
            if CISignal.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((CISignal.fullMessage(for: error) + "\n").utf8))
                exit(ExitStatus.usage.rawValue)
            }
            CISignal.exit(withError: error)
        }
    }
}
