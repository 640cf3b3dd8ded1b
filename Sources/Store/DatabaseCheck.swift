import Foundation

/// One finding of a database check.
public struct CheckFinding: Sendable, Equatable {
    public enum Severity: String, Sendable {
        /// All is well.
        case ok
        /// Worth knowing; nothing is wrong with the data.
        case note
        /// The data is damaged or inconsistent.
        case problem
    }

    public var check: String
    public var severity: Severity
    /// What was found, and what to do about it.
    public var detail: String
}

/// The checks of `cisignal doctor`: SQLite's own integrity check, the schema version, the ingest
/// ledger against the stored rows, orphans, and unfinished work. It never writes.
public enum DatabaseCheck {
    /// Runs every check on `database`. (It takes no lock: an ingest starting meanwhile must not
    /// find the database busy because of a check.)
    public static func run(on database: Database) throws -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let integrity = try database.prepare("PRAGMA integrity_check")
        var messages: [String] = []
        while try integrity.step() { messages.append(integrity.text(0) ?? "") }
        findings.append(messages == ["ok"]
            ? CheckFinding(check: "integrity", severity: .ok, detail: "SQLite integrity_check: ok")
            : CheckFinding(check: "integrity", severity: .problem,
                           detail: "SQLite integrity_check: \(messages.prefix(3).joined(separator: "; ")). "
                               + "Restore the database from a backup, or delete it and ingest again (the artifacts are the source)"))
        let foreign = try database.prepare("PRAGMA foreign_key_check")
        var foreignRows = 0
        while try foreign.step() { foreignRows += 1 }
        findings.append(foreignRows == 0
            ? CheckFinding(check: "references", severity: .ok, detail: "foreign_key_check: ok")
            : CheckFinding(check: "references", severity: .problem, detail: "foreign_key_check: \(foreignRows) rows point at missing rows"))

        let version = try Migrations.version(of: database)
        findings.append(CheckFinding(
            check: "schema", severity: version == Migrations.latestVersion ? .ok : .note,
            detail: version == Migrations.latestVersion
                ? "schema version \(version), current"
                : "schema version \(version) of \(Migrations.latestVersion): the next write (ingest, rollup) migrates it"))

        func count(_ name: String) throws -> (Int, String?) {
            let statement = try database.prepare(named: name, in: "doctor.sql")
            _ = try statement.step()
            return (Int(statement.int64(0)), statement.text(1))
        }
        struct Check {
            var name: String
            var severity: CheckFinding.Severity
            var ok: String
            var found: (Int, String) -> String
        }
        let checks: [Check] = [
            Check(name: "runsWithWrongResultCount", severity: .problem, ok: "every run's result count matches its rows") { count, example in
                "\(count) runs whose stored results differ from their ledger count (e.g. \(example)): run `cisignal ingest` on their roots to replace them"
            },
            Check(name: "orphanResults", severity: .problem, ok: "no results without a run") { count, example in
                "\(count) results of missing runs (e.g. run id \(example))"
            },
            Check(name: "orphanSources", severity: .problem, ok: "no ledger entries without a run") { count, example in
                "\(count) ledger entries of missing runs (e.g. \(example))"
            },
            Check(name: "resultsWithMissingTests", severity: .problem, ok: "every result names an existing test, suite and message") { count, example in
                "\(count) results naming missing tests, suites or messages (e.g. run id \(example))"
            },
            Check(name: "regressionsWithMissingTests", severity: .problem, ok: "every tracked regression names an existing test") { count, example in
                "\(count) regressions of missing tests (e.g. id \(example))"
            },
            Check(name: "unusedFailureMessages", severity: .note, ok: "no unused failure texts") { count, _ in
                "\(count) failure texts no result uses (left by replaced runs); harmless"
            },
            Check(name: "daysAwaitingRollup", severity: .note, ok: "the rollup is up to date") { count, example in
                "\(count) days changed since the last rollup (from \(example)): run `cisignal rollup`"
            },
        ]
        for check in checks {
            let (found, example) = try count(check.name)
            findings.append(found == 0
                ? CheckFinding(check: check.name, severity: .ok, detail: check.ok)
                : CheckFinding(check: check.name, severity: check.severity, detail: check.found(found, example ?? "?")))
        }
        let (running, batch) = try count("unfinishedBatches")
        findings.append(running == 0
            ? CheckFinding(check: "unfinishedBatches", severity: .ok, detail: "every ingest finished")
            : CheckFinding(check: "unfinishedBatches", severity: .note,
                           detail: "\(running) ingests did not finish (e.g. batch \(batch ?? "?")): running now, or killed; what a killed "
                               + "one committed is whole (one transaction per run). Run `cisignal ingest` again to load the rest"))
        return findings
    }
}
