import Foundation
import Store

/// What one rollup did.
public struct RollupSummary: Sendable, Equatable {
    /// Days whose daily totals were recomputed.
    public var daysRecomputed: [Day] = []
    /// Whether a class that daily totals depend on (ignored, infrastructure, kept) changed, so
    /// every day was recomputed.
    public var rulesChanged = false
    /// Runs with neither a start nor a finish time: they belong to no day and count nowhere.
    public var undatedRuns = 0
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
    ///
    /// - Parameter reclassify: classify every test and job again with these rules (what
    ///   `cisignal rollup` does); when false, only the tests and jobs that have no class yet are
    ///   classified, and stored classes are kept (what the rate commands do, so that a query with
    ///   another configuration never rewrites the nightly's classes).
    public func run(on database: Database, asOf: Day, reclassify: Bool = true, clock: () -> Date = { Date() }) throws -> RollupSummary {
        let started = clock()
        let windows = Windows(asOf: asOf, currentDays: rules.currentDays, previousDays: rules.previousDays)
        var summary = RollupSummary(windows: windows)
        func statement(_ name: String) throws -> Statement { try database.prepare(named: name, in: "rollup.sql") }

        // 1. Classes, for every test and job: cheap, and never stale. A class that changed means
        //    new rules, and then every day's totals are stale.
        try database.inTransaction {
            let tests = try classifyTests(database, reclassify: reclassify)
            let jobs = try classifyJobs(database, reclassify: reclassify)
            summary.testsClassified = tests.classified
            summary.jobsClassified = jobs.classified
            summary.rulesChanged = tests.changed || jobs.changed
            if summary.rulesChanged { try statement("markAllDaysDirty").run() }
        }

        // 2. Daily totals, one transaction a day: a rollup killed half way keeps the days it did.
        let dirty = try statement("dirtyDays")
        var days: [String] = []
        while try dirty.step() { if let day = dirty.text(0) { days.append(day) } }
        dirty.reset()
        let steps = try ["deleteDailyTestTotals", "insertDailyTestTotals", "addDailyFailureDetails",
                         "deleteDailyJobTotals", "insertDailyJobTotals", "clearDirtyDay"].map(statement)
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
        summary.undatedRuns = Int(try database.integer(SQLLibrary.statement(named: "undatedRuns", in: "rollup.sql")) ?? 0)
        summary.seconds = clock().timeIntervalSince(started)
        return summary
    }

    /// Classifies every test (or only those without a class); returns how many got a new or
    /// different class, and whether a change affects daily totals (ignored or infrastructure).
    private func classifyTests(_ database: Database, reclassify: Bool) throws -> (classified: Int, changed: Bool) {
        let query = try database.prepare(named: "testsWithClasses", in: "rollup.sql")
        let upsert = try database.prepare(named: "upsertTestClass", in: "rollup.sql")
        var changed = false
        var updates: [(Int64, String, String, Bool, Bool)] = []
        while try query.step() {
            let hasClass = !query.isNull(4)
            if hasClass && !reclassify { continue }
            let name = query.text(1) ?? ""
            let (component, owner) = rules.component(testName: name, classname: query.text(2) ?? "", suite: query.text(3) ?? "")
            let ignored = rules.ignoresTest(name), infrastructure = rules.isInfrastructureTest(name)
            if hasClass {
                let stored = (query.text(4) ?? "", query.text(5) ?? "", query.int64(6) != 0, query.int64(7) != 0)
                if stored == (component, owner, ignored, infrastructure) { continue }
                // Component and owner only label totals; these two change what is counted.
                if stored.2 != ignored || stored.3 != infrastructure { changed = true }
            }
            updates.append((query.int64(0), component, owner, ignored, infrastructure))
        }
        for (id, component, owner, ignored, infrastructure) in updates {
            upsert.bind(id, at: 1)
            upsert.bind(component, at: 2)
            upsert.bind(owner, at: 3)
            upsert.bind(ignored ? 1 : 0, at: 4)
            upsert.bind(infrastructure ? 1 : 0, at: 5)
            try upsert.run()
        }
        return (updates.count, changed)
    }

    /// Classifies every job (or only those without a class), with its variants; returns how many
    /// were new or changed, and whether a change affects daily totals (kept).
    private func classifyJobs(_ database: Database, reclassify: Bool) throws -> (classified: Int, changed: Bool) {
        let query = try database.prepare(named: "jobsWithClasses", in: "rollup.sql")
        let upsert = try database.prepare(named: "upsertJobClass", in: "rollup.sql")
        let clearVariants = try database.prepare(named: "deleteJobVariantsOfJob", in: "rollup.sql")
        let variant = try database.prepare(named: "upsertJobVariant", in: "rollup.sql")
        var updates: [(Int64, Bool, [String: String], String)] = []
        var changed = false
        while try query.step() {
            let hasClass = !query.isNull(2)
            if hasClass && !reclassify { continue }
            let name = query.text(1) ?? ""
            let variants = rules.variants(ofJob: name)
            let combination = Self.combination(variants, keys: rules.variantKeys)
            let kept = rules.keepsJob(name)
            if hasClass {
                let storedKept = query.int64(2) != 0
                if storedKept == kept && query.text(3) == combination { continue }
                if storedKept != kept { changed = true }
            }
            updates.append((query.int64(0), kept, variants, combination))
        }
        for (id, kept, variants, combination) in updates {
            upsert.bind(id, at: 1)
            upsert.bind(kept ? 1 : 0, at: 2)
            upsert.bind(combination, at: 3)
            try upsert.run()
            clearVariants.bind(id, at: 1)
            try clearVariants.run()
            for key in rules.variantKeys {
                variant.bind(id, at: 1)
                variant.bind(key, at: 2)
                variant.bind(variants[key] ?? "", at: 3)
                try variant.run()
            }
        }
        return (updates.count, changed)
    }

    /// A job's variant combination as "key=value" pairs in key order, unknown values left out:
    /// "release=4.18 platform=aws network=ovn ...". Keys are part of it, so a renamed key is a change.
    static func combination(_ variants: [String: String], keys: [String]) -> String {
        keys.compactMap { key in
            guard let value = variants[key], !value.isEmpty else { return nil }
            return key + "=" + value
        }.joined(separator: " ")
    }
}
