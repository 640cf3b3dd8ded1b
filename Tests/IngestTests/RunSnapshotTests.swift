import TestSupport
import Artifacts
import Foundation
import Testing
@testable import Ingest

@Suite struct RunSnapshotTests {
    func makeRun() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        try directory.write("run/started.json", "{}")
        try directory.write("run/finished.json", "{}")
        try directory.write("run/build-log.txt", "log")
        try directory.write("run/artifacts/e2e/junit/junit_e2e.xml", "<testsuite/>")
        try directory.write("run/artifacts/e2e/gather/must-gather.log", "big")
        return (directory, directory.file("run"))
    }

    func setTime(_ path: String, _ seconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    @Test func itHoldsTheDirectoriesAndTheFilesIngestReadsAndSurvivesItsText() throws {
        let (directory, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let snapshot = RunSnapshot(ArtifactWalker().listRun(run))
        let paths: [String] = snapshot.entries.map {
            switch $0 {
            case let .directory(path, _): return "D " + path
            case let .file(path, _, _): return "F " + path
            }
        }
        #expect(paths == ["D ", "D artifacts", "D artifacts/e2e", "D artifacts/e2e/gather", "D artifacts/e2e/junit",
                          "F artifacts/e2e/junit/junit_e2e.xml", "F finished.json", "F started.json"])
        #expect(RunSnapshot(text: snapshot.text) == snapshot)
        #expect(RunSnapshot(text: "nonsense") == nil)
        #expect(snapshot.isCurrent(under: run))
    }

    @Test func everyChangeIngestCaresAboutIsSeenWithStatAlone() throws {
        for change in ["rewrite JUnit", "add file deep", "remove file", "rename", "touch metadata"] {
            let (directory, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
            let snapshot = RunSnapshot(ArtifactWalker().listRun(run))
            switch change {
            case "rewrite JUnit":
                // Same size, new time: an in-place rewrite.
                try Data("<testcase/> ".utf8).write(to: URL(fileURLWithPath: run + "/artifacts/e2e/junit/junit_e2e.xml"))
                setTime(run + "/artifacts/e2e/junit/junit_e2e.xml", 2_000_000_000)
            case "add file deep":
                try Data("<testsuite/>".utf8).write(to: URL(fileURLWithPath: run + "/artifacts/e2e/gather/junit_more.xml"))
                setTime(run + "/artifacts/e2e/gather", 2_000_000_000)
            case "remove file":
                try FileManager.default.removeItem(atPath: run + "/artifacts/e2e/gather/must-gather.log")
                setTime(run + "/artifacts/e2e/gather", 2_000_000_000)
            case "rename":
                try FileManager.default.moveItem(atPath: run + "/artifacts/e2e/junit/junit_e2e.xml",
                                                 toPath: run + "/artifacts/e2e/junit/junit_renamed.xml")
                setTime(run + "/artifacts/e2e/junit", 2_000_000_000)
            default:
                setTime(run + "/finished.json", 2_000_000_000)
            }
            #expect(!snapshot.isCurrent(under: run), "\(change) went unseen")
        }
    }

    @Test func filesIngestNeverReadsMayChangeInPlace() throws {
        let (directory, run) = try makeRun()
        defer { withExtendedLifetime(directory) {} }
        let snapshot = RunSnapshot(ArtifactWalker().listRun(run))
        let log = try #require(FileHandle(forWritingAtPath: run + "/artifacts/e2e/gather/must-gather.log"))
        try log.seekToEnd()
        try log.write(contentsOf: Data("more log".utf8))
        try log.close()
        // Writing in place changes no directory; only the log's own time, which is not tracked.
        #expect(snapshot.isCurrent(under: run))
    }
}
