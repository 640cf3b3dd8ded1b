import ArgumentParser
import Configuration
import Foundation

/// `cisignal config`: prints the default configuration, checks a file, or shows a job's variants.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the default cisignal.yaml, check a configuration file, or show a job's variants.",
        discussion: """
            --print-defaults prints a complete, commented cisignal.yaml holding every built-in default; \
            save it and delete what you do not change. --check reads the configuration (--config PATH, \
            else ./cisignal.yaml when present, else the built-in defaults) and prints "ok: " and a one-line summary. \
            --variants JOB prints the variants the configured rules find in a job name, one key a line, \
            which helps when writing rules.

            A bad file is reported as one line naming the file, line and key.

            Exit codes: 0 ok; 2 usage error or a bad configuration file.
            """
    )

    @Flag(name: .long, help: "Print a complete, commented configuration file holding the defaults.")
    var printDefaults = false

    @Flag(name: .long, help: "Read the configuration and report whether it is valid.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Print the variants of this job name under the configured rules.", valueName: "job"))
    var variants: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file; default ./cisignal.yaml, or the built-in defaults when it is absent.",
                                            valueName: "path"))
    var config: String?

    func validate() throws {
        let actions = [printDefaults, check, variants != nil].filter { $0 }.count
        if actions != 1 { throw ValidationError("give exactly one of --print-defaults, --check or --variants JOB") }
        if printDefaults, config != nil { throw ValidationError("--print-defaults prints the built-in defaults; it reads no --config") }
    }

    func run() throws {
        let output = Output(quiet: false, progress: false)
        if printDefaults {
            FileHandle.standardOutput.write(Data(Settings.defaultsYAML.utf8))
            return
        }
        let settings: Settings
        let file: String?
        do {
            (settings, file) = try Settings.load(configPath: config)
        } catch {
            output.error(error.description)
            throw ExitStatus.usage.code
        }
        if let job = variants {
            let values = settings.variants(ofJob: job)
            for key in settings.variantKeys {
                let value = values[key] ?? ""
                output.line("\(key): \(value.isEmpty ? "(unknown)" : value)")
            }
            return
        }
        output.line("ok: " + Self.summary(settings, file: file))
    }

    /// One line saying what was read and what it holds.
    static func summary(_ settings: Settings, file: String?) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        return [
            file ?? "built-in defaults (no cisignal.yaml)",
            count(settings.roots.count, "root"),
            "database \(settings.database)",
            "\(count(settings.variantKeys.count, "variant key")) (\(count(settings.variantRules.rules.count, "rule")))",
            count(settings.componentRules.rules.count, "component rule"),
            "windows \(settings.windowLengths.currentDays)+\(settings.windowLengths.previousDays) days",
            "jobs \(settings.jobFilter.include.count) include/\(settings.jobFilter.exclude.count) exclude",
            "tests \(settings.testFilter.ignore.count) ignored/\(settings.testFilter.infrastructure.count) infrastructure",
        ].joined(separator: "; ")
    }
}
