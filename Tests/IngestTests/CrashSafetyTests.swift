import Foundation
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
