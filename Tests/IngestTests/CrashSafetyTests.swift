import TestSupport
import Foundation
import Store
import Testing

/// Kills `cisignal ingest` with SIGKILL part-way, several times, then lets it finish: the result
/// must equal a clean, uninterrupted load.
@Suite(.serialized) struct CrashSafetyTests {
    /// A tree big enough that a load takes a while: `runs` runs of `cases` cases each.
    func buildTree(runs: Int, cases: Int) throws -> ProwTree {
        let tree = ProwTree()
        var generator = SplitMix(seed: 7)
        for build in 0..<runs {
            var xml: [String] = []
            for index in 0..<cases {
                let roll = generator.next() % 100
                let name = "[sig-test] case \(index) should work [Suite:openshift/conformance/parallel]"
                xml.append(roll < 3 ? ProwTree.fail(name, message: "failure \(roll)") : roll < 5 ? ProwTree.skip(name) : ProwTree.pass(name))
            }
            try tree.periodicRun(job: "periodic-job-\(build % 3)", build: String(5000 + build),
                                 junit: ["artifacts/e2e/junit/junit_e2e.xml": ProwTree.junit(xml)],
                                 gzip: build % 2 == 0 ? ["artifacts/e2e/junit/junit_e2e.xml"] : [])
        }
        return tree
    }

    @Test func aLoadKilledAtAnyMomentIsCompletedByTheNextRun() throws {
        let tree = try buildTree(runs: 60, cases: 400)
        let clean = tree.directory.file("clean.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", clean, "--quiet"]).status == 0)
        let expected = try CanonicalDump.of(databaseAt: clean)
        #expect(expected.filter { $0.hasPrefix("run\t") }.count == 60)

        // How long a full load takes, to spread the kills over it.
        let timed = tree.directory.file("timed.sqlite")
        let start = Date()
        _ = try run(cisignalBinary, ["ingest", tree.root, "--db", timed, "--quiet"])
        let fullLoad = Date().timeIntervalSince(start)

        let killed = tree.directory.file("killed.sqlite")
        var generator = SplitMix(seed: 2026)
        var interruptedLoads = 0
        for _ in 0..<6 {
            let delay = Double(generator.next() % 1000) / 1000 * fullLoad
            let process = Process()
            process.executableURL = URL(fileURLWithPath: cisignalBinary)
            process.arguments = ["ingest", tree.root, "--db", killed, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                interruptedLoads += 1
            }
            process.waitUntilExit()
        }
        #expect(interruptedLoads > 0, "no load was interrupted; the kills came too late")
        let final = try run(cisignalBinary, ["ingest", tree.root, "--db", killed, "--quiet"])
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try CanonicalDump.of(databaseAt: killed) == expected)
        // A killed load's batch is marked interrupted by the next one (a load killed before it
        // wrote its batch row left none).
        let database = try Database(path: killed, readOnly: true)
        let interrupted = try database.integer("SELECT count(*) FROM ingest_batches WHERE status = 'interrupted'") ?? 0
        #expect(interrupted >= 1 && interrupted <= Int64(interruptedLoads))
        #expect(try database.integer("SELECT count(*) FROM ingest_batches WHERE status = 'running'") == 0)
    }

    @Test func aReplacementKilledAtAnyMomentLeavesTheOldOrTheNewRunWhole() throws {
        let tree = try buildTree(runs: 30, cases: 400)
        let db = tree.directory.file("db.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"]).status == 0)
        // Every run changes: one more failing case in each.
        for build in 0..<30 {
            let path = "logs/periodic-job-\(build % 3)/\(5000 + build)/artifacts/e2e/junit/junit_e2e.xml"
            let xml = ProwTree.junit((0..<400).map { ProwTree.pass("[sig-test] case \($0) should work [Suite:openshift/conformance/parallel]") }
                                     + [ProwTree.fail("new failure")])
            try tree.directory.write(path, try gzipped(Array(xml.utf8)))
        }
        let clean = tree.directory.file("clean.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: clean)
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", clean, "--quiet"]).status == 0)
        let start = Date()
        let timing = tree.directory.file("timing.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: timing)
        _ = try run(cisignalBinary, ["ingest", tree.root, "--db", timing, "--quiet"])
        let fullReplace = Date().timeIntervalSince(start)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: cisignalBinary)
        process.arguments = ["ingest", tree.root, "--db", db, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(fullReplace * 0.5 * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Half replaced: every run is either all old (400 results) or all new (401).
        let database = try Database(path: db, readOnly: true)
        let statement = try database.prepare("SELECT count(*) FROM test_results GROUP BY run_id")
        var sizes = Set<Int64>()
        while try statement.step() { sizes.insert(statement.int64(0)) }
        #expect(sizes.isSubset(of: [400, 401]), "a run was half replaced: \(sizes)")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"]).status == 0)
        #expect(try CanonicalDump.of(databaseAt: db) == CanonicalDump.of(databaseAt: clean))
    }
}

/// A small deterministic random generator (SplitMix64), so tests draw the same numbers every run.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
