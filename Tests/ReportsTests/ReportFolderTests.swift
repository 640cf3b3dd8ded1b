import Foundation
@testable import Reports
import TestSupport
import Testing

@Suite struct ReportFolderTests {
    func latest(_ root: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: root + "/latest")
    }

    @Test func writesADatedFolderAndPointsLatestAtIt() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("reports")
        try ReportFolder.write(["summary.md": Data("one".utf8), "charts/a.svg": Data("<svg/>".utf8)], day: "2026-11-19", root: root)
        #expect(try latest(root) == "2026-11-19")
        try ReportFolder.write(["summary.md": Data("two".utf8)], day: "2026-11-20", root: root)
        #expect(try latest(root) == "2026-11-20")
        #expect(try String(contentsOfFile: root + "/latest/summary.md", encoding: .utf8) == "two")
        #expect(try String(contentsOfFile: root + "/2026-11-19/summary.md", encoding: .utf8) == "one")
        // The same day again replaces that day's folder whole.
        try ReportFolder.write(["summary.md": Data("three".utf8)], day: "2026-11-20", root: root)
        #expect(try String(contentsOfFile: root + "/latest/summary.md", encoding: .utf8) == "three")
        // An earlier day is written, but latest stays the newest.
        try ReportFolder.write(["summary.md": Data("old".utf8)], day: "2026-11-18", root: root)
        #expect(try latest(root) == "2026-11-20")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["2026-11-18", "2026-11-19", "2026-11-20", "latest"])
        try FileManager.default.removeItem(atPath: root + "/2026-11-18")
        // No temporary or set-aside folders are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["2026-11-19", "2026-11-20", "latest"])
    }

    @Test func aFailedWriteLeavesThePreviousReportAndLatest() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("reports")
        try ReportFolder.write(["summary.md": Data("good".utf8)], day: "2026-11-19", root: root)
        // "a" as a file and as a folder: the second write fails half way.
        #expect(throws: ReportWriteError.self) {
            try ReportFolder.write(["a": Data("x".utf8), "a/b": Data("y".utf8)], day: "2026-11-20", root: root)
        }
        #expect(try latest(root) == "2026-11-19")
        #expect(try String(contentsOfFile: root + "/latest/summary.md", encoding: .utf8) == "good")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["2026-11-19", "latest"])
    }

    @Test func leftoversOfKilledWritersAreCleanedOrPutBack() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("reports")
        // A killed writer (pid 999999 does not run) left a half-written folder, and one that had
        // set aside the 2026-11-19 report and died before moving the new one in.
        try dir.write("reports/.2026-11-20.partial-999999/summary.md", "half")
        try dir.write("reports/.2026-11-19.old-999999/summary.md", "the old one")
        try ReportFolder.write(["summary.md": Data("new".utf8)], day: "2026-11-20", root: root)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["2026-11-19", "2026-11-20", "latest"])
        #expect(try String(contentsOfFile: root + "/2026-11-19/summary.md", encoding: .utf8) == "the old one")
    }

    @Test func namesThatLeaveTheFolderAreRefusedBeforeAnythingIsWritten() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("reports")
        for name in ["../escape.md", "/tmp/abs.md", "charts/../../x", "a//b", "", "x\ny"] {
            #expect(throws: ReportWriteError.unsafeName(name)) {
                try ReportFolder.write([name: Data()], day: "2026-11-20", root: root)
            }
        }
        #expect(throws: ReportWriteError.self) { try ReportFolder.write([:], day: "../x", root: root) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("escape.md")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("x")))
    }

    @Test func aLatestThatIsNotALinkIsNeverReplaced() throws {
        let dir = TemporaryDirectory()
        let root = dir.file("reports")
        try FileManager.default.createDirectory(atPath: root + "/latest", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: root + "/latest/keep.txt"))
        #expect(throws: ReportWriteError.latestNotALink(path: root + "/latest")) {
            try ReportFolder.write(["summary.md": Data()], day: "2026-11-20", root: root)
        }
        #expect(FileManager.default.fileExists(atPath: root + "/latest/keep.txt"))
    }
}
