import Foundation
import Testing
@testable import Simulation

@Suite struct OutputFolderTests {
    @Test func refusesNonEmptyFoldersAndClearsOnlyEarlierSimulations() throws {
        let folder = try TemporaryFolder()
        try Simulator.prepareOutput(path: folder.path + "/new/out", force: false)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/new/out"))

        let other = folder.path + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: other + "/notes.txt"))
        #expect(throws: SimulationError.self) { try Simulator.prepareOutput(path: other, force: false) }
        #expect(throws: SimulationError.self) { try Simulator.prepareOutput(path: other, force: true) }
        #expect(FileManager.default.fileExists(atPath: other + "/notes.txt"))

        let earlier = folder.path + "/earlier"
        _ = try Simulator.run(options: smallOptions(tests: 20), path: earlier)
        #expect(throws: SimulationError.self) { try Simulator.prepareOutput(path: earlier, force: false) }
        try Simulator.prepareOutput(path: earlier, force: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: earlier).isEmpty)
    }

    @Test func invalidOptionsAreOneLineErrors() {
        var options = SimulationOptions()
        options.endDate = "2026-13-01"
        #expect(throws: SimulationError.invalidOption(option: "--end-date", rule: "must be a date YYYY-MM-DD between 1970 and 9999")) {
            try options.validate()
        }
        options = SimulationOptions()
        options.jobs = 0
        #expect(SimulationError.invalidOption(option: "--jobs", rule: "must be between 1 and 80").description
                    == "--jobs must be between 1 and 80")
        #expect(throws: SimulationError.self) { try options.validate() }
        #expect(throws: Never.self) { try SimulationOptions().validate() }
    }

    @Test func jobNamesEncodeTheirVariants() {
        let jobs = JobCatalog.periodicJobs(count: JobCatalog.maximumJobs, release: "4.18")
        #expect(Set(jobs.map(\.name)).count == jobs.count)
        #expect(jobs[0].name == "periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn")
        #expect(jobs[1].name == "periodic-ci-openshift-release-master-nightly-4.18-e2e-gcp-sdn")
        #expect(jobs[3].name == "periodic-ci-openshift-multiarch-master-nightly-4.18-ocp-e2e-aws-ovn-arm64")
        #expect(jobs[4].name == "periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-single-node")
        #expect(jobs[7].name == "periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-upgrade")
        // The first ten cover every platform, network, architecture, topology and upgrade.
        let head = jobs.prefix(10).map(\.variants)
        #expect(Set(head.map(\.platform)).count == 5)
        #expect(Set(head.map(\.network)) == ["ovn", "sdn"])
        #expect(Set(head.map(\.architecture)) == ["amd64", "arm64"])
        #expect(Set(head.map(\.topology)) == ["ha", "single-node"])
        #expect(Set(head.map(\.upgrade)) == [false, true])
    }

    @Test func testPoolHasUniqueNamedTestsWithSigComponents() {
        let pool = TestPool(count: 1400, seed: 5)
        #expect(Set(pool.tests.map(\.name)).count == 1400)
        #expect(pool.tests.allSatisfy { $0.name.hasPrefix("[\($0.component)] ") && $0.name.contains("[Suite:") })
        let flaky = pool.tests.filter { $0.behaviour == .flaky }
        #expect(flaky.count == 42)
        #expect(flaky.allSatisfy { (0.80...0.99).contains($0.fixedPassProbability ?? 0) })
        #expect(pool.tests.contains { !$0.skippedOn.isEmpty })
    }
}
