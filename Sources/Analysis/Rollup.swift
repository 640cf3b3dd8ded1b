import Foundation
import Store

/// What one rollup did.
public struct RollupSummary: Sendable, Equatable {
    /// Days whose daily totals were recomputed.
    public var daysRecomputed: [Day] = []
    /// Whether the rules changed since the last rollup, so every class and day was redone.
    public var rulesChanged = false
    /// Tests and jobs classified in this rollup.
    public var testsClassified = 0
    public var jobsClassified = 0
    public var windows: Windows
    public var seconds = 0.0
}

/// Brings the rollup tables up to date: classes from the rules, daily totals for the days that
/// changed, then the window totals as of a day. Each step is SQL from `sql/queries/rollup.sql`;
/// this type only decides what to run, in which transaction.
public struct Rollup {
    public let rules: RollupRules

    public init(rules: RollupRules) {
        self.rules = rules
    }

    /// Runs the rollup on `database` (opened for writing) as of `asOf`.
    public func run(on database: Database, asOf: Day, clock: () -> Date = { Date() }) throws -> RollupSummary {
        let started = clock()
        let windows = Windows(asOf: asOf, currentDays: rules.currentDays, previousDays: rules.previousDays)
        var summary = RollupSummary(windows: windows)
        func statement(_ name: String) throws -> Statement { try database.prepare(named: name, in: "rollup.sql") }

        // 1. Classes. New rules: classify everything again, and every day is stale.
        try database.inTransaction {
            let state = try statement("stateValue")
            state.bind("rules_digest", at: 1)
            let stored = try state.step() ? state.text(0) : nil
            state.reset()
            summary.rulesChanged = stored != rules.digest
            summary.testsClassified = try classifyTests(database, all: summary.rulesChanged)
            summary.jobsClassified = try classifyJobs(database, all: summary.rulesChanged)
            if summary.rulesChanged {
                try statement("markAllDaysDirty").run()
                let set = try statement("setStateValue")
                set.bind("rules_digest", at: 1)
                set.bind(rules.digest, at: 2)
                try set.run()
            }
        }

        // 2. Daily totals, one transaction a day: a rollup killed half way keeps the days it did.
        let dirty = try statement("dirtyDays")
        var days: [String] = []
        while try dirty.step() { if let day = dirty.text(0) { days.append(day) } }
        dirty.reset()
        let steps = try ["deleteDailyTestTotals", "insertDailyTestTotals", "deleteDailyJobTotals",
                         "insertDailyJobTotals", "clearDirtyDay"].map(statement)
        for day in days {
            try database.inTransaction {
                for step in steps {
                    step.bind(day, at: 1)
                    try step.run()
                }
            }
            if let parsed = Day(day) { summary.daysRecomputed.append(parsed) }
        }

        // 3. Window totals, all in one transaction so readers see one consistent as-of.
        try database.inTransaction {
            let now = Int64(clock().timeIntervalSince1970)
            for (name, range) in [("current", windows.current), ("previous", windows.previous)] {
                let window = try statement("replaceWindow")
                window.bind(name, at: 1)
                window.bind(asOf.description, at: 2)
                window.bind(range.lowerBound.description, at: 3)
                window.bind(range.upperBound.description, at: 4)
                window.bind(now, at: 5)
                try window.run()
                for (delete, insert) in [("deleteWindowTestTotals", "insertWindowTestTotals"),
                                         ("deleteWindowJobTotals", "insertWindowJobTotals"),
                                         ("deleteWindowPayloadFlakes", "insertWindowPayloadFlakes")] {
                    let clear = try statement(delete)
                    clear.bind(name, at: 1)
                    try clear.run()
                    let fill = try statement(insert)
                    fill.bind(name, at: 1)
                    fill.bind(range.lowerBound.description, at: 2)
                    fill.bind(range.upperBound.description, at: 3)
                    try fill.run()
                }
            }
        }
        summary.seconds = clock().timeIntervalSince(started)
        return summary
    }

    /// Classifies the tests without classes (or all of them); returns how many.
    private func classifyTests(_ database: Database, all: Bool) throws -> Int {
        let query = try database.prepare(named: all ? "allTests" : "unclassifiedTests", in: "rollup.sql")
        let upsert = try database.prepare(named: "upsertTestClass", in: "rollup.sql")
        var count = 0
        var rows: [(Int64, String, String, String)] = []
        while try query.step() {
            rows.append((query.int64(0), query.text(1) ?? "", query.text(2) ?? "", query.text(3) ?? ""))
        }
        for (id, name, classname, suite) in rows {
            let (component, owner) = rules.component(testName: name, classname: classname, suite: suite)
            upsert.bind(id, at: 1)
            upsert.bind(component, at: 2)
            upsert.bind(owner, at: 3)
            upsert.bind(rules.ignoresTest(name) ? 1 : 0, at: 4)
            upsert.bind(rules.isInfrastructureTest(name) ? 1 : 0, at: 5)
            try upsert.run()
            count += 1
        }
        return count
    }

    /// Classifies the jobs without classes (or all of them), with their variants; returns how many.
    private func classifyJobs(_ database: Database, all: Bool) throws -> Int {
        if all { try database.prepare(named: "deleteJobVariants", in: "rollup.sql").run() }
        let query = try database.prepare(named: all ? "allJobs" : "unclassifiedJobs", in: "rollup.sql")
        let upsert = try database.prepare(named: "upsertJobClass", in: "rollup.sql")
        let variant = try database.prepare(named: "upsertJobVariant", in: "rollup.sql")
        var rows: [(Int64, String)] = []
        while try query.step() { rows.append((query.int64(0), query.text(1) ?? "")) }
        for (id, name) in rows {
            let variants = rules.variants(ofJob: name)
            let combination = rules.variantKeys.map { variants[$0].flatMap { $0.isEmpty ? nil : $0 } ?? "-" }.joined(separator: " ")
            upsert.bind(id, at: 1)
            upsert.bind(rules.keepsJob(name) ? 1 : 0, at: 2)
            upsert.bind(combination, at: 3)
            try upsert.run()
            for key in rules.variantKeys {
                variant.bind(id, at: 1)
                variant.bind(key, at: 2)
                variant.bind(variants[key] ?? "", at: 3)
                try variant.run()
            }
        }
        return rows.count
    }
}
