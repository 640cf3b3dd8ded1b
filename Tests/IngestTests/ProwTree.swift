import TestSupport
import Foundation

/// Builds small Prow-style artifact trees for tests.
struct ProwTree {
    let directory: TemporaryDirectory
    var root: String { directory.path }

    static let job = "periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn"
    static let tag = "4.18.0-0.nightly-2026-11-07-013000"

    init(_ directory: TemporaryDirectory = TemporaryDirectory("prow")) {
        self.directory = directory
    }

    static func junit(_ cases: [String], suite: String = "openshift-tests") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites><testsuite name=\"\(suite)\" tests=\"\(cases.count)\">"
            + cases.joined() + "</testsuite></testsuites>\n"
    }

    static func pass(_ name: String, time: Double = 1) -> String {
        "<testcase name=\"\(name)\" time=\"\(time)\"/>"
    }

    static func fail(_ name: String, message: String = "failed", time: Double = 1) -> String {
        "<testcase name=\"\(name)\" time=\"\(time)\"><failure message=\"\(message)\">stack</failure></testcase>"
    }

    static func error(_ name: String) -> String {
        "<testcase name=\"\(name)\"><error message=\"panic\"/></testcase>"
    }

    static func skip(_ name: String) -> String {
        "<testcase name=\"\(name)\"><skipped message=\"skipped\"/></testcase>"
    }

    static func started(_ timestamp: Int) -> String { "{\"timestamp\": \(timestamp)}" }

    static func finished(_ timestamp: Int, _ result: String = "SUCCESS") -> String {
        "{\"timestamp\": \(timestamp), \"passed\": \(result == "SUCCESS"), \"result\": \"\(result)\"}"
    }

    static func prowjob(job: String, build: String, tag: String = ProwTree.tag, type: String = "periodic") -> String {
        """
        {"metadata": {"annotations": {"release.openshift.io/tag": "\(tag)"}},
         "spec": {"type": "\(type)", "job": "\(job)"},
         "status": {"state": "success", "build_id": "\(build)", "url": "https://prow.example/view/\(job)/\(build)"}}
        """
    }

    /// Writes a finished periodic run directory with the given JUnit files (relative path → XML).
    func periodicRun(job: String = ProwTree.job, build: String, start: Int = 1_762_480_000, result: String = "SUCCESS",
                     junit: [String: String], gzip: Set<String> = []) throws {
        let base = "logs/\(job)/\(build)/"
        try directory.write(base + "started.json", Self.started(start))
        try directory.write(base + "finished.json", Self.finished(start + 3600, result))
        try directory.write(base + "prowjob.json", Self.prowjob(job: job, build: build))
        for (path, xml) in junit {
            let bytes = Array(xml.utf8)
            try directory.write(base + path, gzip.contains(path) ? try gzipped(bytes) : bytes)
        }
    }
}

extension ProwTree {
    /// A tree big enough that a load takes a while: `runs` runs of `cases` cases each (3% failing,
    /// 2% skipped), spread over three jobs, every other JUnit file gzipped. `firstBuild` numbers
    /// the runs, so two trees can hold different runs of the same jobs.
    static func busyTree(runs: Int, cases: Int, firstBuild: Int = 5000, seed: UInt64 = 7) throws -> ProwTree {
        let tree = ProwTree()
        var generator = SplitMix(seed: seed)
        for build in 0..<runs {
            var xml: [String] = []
            for index in 0..<cases {
                let roll = generator.next() % 100
                let name = "[sig-test] case \(index) should work [Suite:openshift/conformance/parallel]"
                xml.append(roll < 3 ? ProwTree.fail(name, message: "failure \(roll)") : roll < 5 ? ProwTree.skip(name) : ProwTree.pass(name))
            }
            try tree.periodicRun(job: "periodic-job-\(build % 3)", build: String(firstBuild + build),
                                 junit: ["artifacts/e2e/junit/junit_e2e.xml": ProwTree.junit(xml)],
                                 gzip: build % 2 == 0 ? ["artifacts/e2e/junit/junit_e2e.xml"] : [])
        }
        return tree
    }
}
