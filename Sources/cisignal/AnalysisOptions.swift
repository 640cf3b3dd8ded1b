import Analysis
import ArgumentParser
import Configuration
import Foundation
import Store

/// The options every analysis command takes: where the database and the configuration are, and
/// the day the windows end.
struct AnalysisOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database; default: the configuration's `database`.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file; default: ./cisignal.yaml when present, else built-in defaults.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The last day of the current window, YYYY-MM-DD (UTC); default: today.", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a date such as 2026-11-20") }
    }

    /// The settings, or a usage error naming the file, line and key.
    func settings() throws -> Settings {
        do {
            return try Settings.load(configPath: config).settings
        } catch {
            FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
            throw ExitStatus.usage.code
        }
    }

    func databasePath(_ settings: Settings) -> String { db ?? settings.database }

    /// The as-of day: the option, or today in UTC.
    var day: Day { asOf.flatMap(Day.init) ?? Day.today() }
}

/// Exits 4 with a message when there is no database at `path` (instead of creating an empty one).
func requireDatabase(_ path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
        FileHandle.standardError.write(Data("cisignal: no database at \(path); run `cisignal ingest` first\n".utf8))
        throw ExitStatus.cannotRun.code
    }
}

/// Opens the database for writing under the writer lock, or exits 4 with the reason.
func openForWriting(_ path: String, wait: Double = 0) throws -> (Database, WriterLock) {
    do {
        let lock = try WriterLock(databasePath: path, timeoutSeconds: wait)
        return (try Database(path: path), lock)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("cisignal: \(error)\n".utf8))
        throw ExitStatus.cannotRun.code
    }
}
