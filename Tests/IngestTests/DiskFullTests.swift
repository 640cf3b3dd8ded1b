import Foundation
import Store
import TestSupport
import Testing

/// Out of room part-way: one clear line, exit 4, a database that still passes its checks, and the
/// next run finishes the work. A file size limit (`ulimit -f`) stands in for a full disk on every
/// machine; where the tests may mount a small tmpfs (root with CAP_SYS_ADMIN), a real full
/// filesystem is used too.
@Suite struct DiskFullTests {
    /// Runs `cisignal arguments` with the file size limit set to `kilobytes` (bash's `ulimit -f`).
    func runLimited(kilobytes: Int, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let quoted = ([cisignalBinary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try run("/bin/bash", ["-c", "ulimit -f \(kilobytes) && exec " + quoted.joined(separator: " ")])
    }

    func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    func expectHealthy(_ db: String) throws {
        let database = try Database(path: db, readOnly: true)
        #expect(try rows(database, "PRAGMA integrity_check") == ["ok"])
        let doctor = try run(cisignalBinary, ["doctor", "--db", db])
        #expect(doctor.status == 0 && !doctor.stdout.contains("PROBLEM"), "\(doctor.stdout)")
    }

    func expectOneClearLine(_ stderr: String, database db: String) {
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(stderr)")
        #expect(lines.first?.hasPrefix("cisignal: could not write database \(db) while ") == true, "\(stderr)")
        #expect(lines.first?.hasSuffix("what was stored before is kept; free some space (or raise the file size limit) and run again") == true, "\(stderr)")
    }

    @Test func aLoadPastTheFileSizeLimitSaysSoAndTheNextRunCompletesIt() throws {
        let tree = try ProwTree.busyTree(runs: 100, cases: 400)
        let clean = tree.directory.file("clean.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", clean, "--quiet"]).status == 0)
        let expected = try CanonicalDump.of(databaseAt: clean)

        let db = tree.directory.file("full.sqlite")
        let failed = try runLimited(kilobytes: try fileSize(clean) / 2 / 1024, ["ingest", tree.root, "--db", db, "--quiet"])
        #expect(failed.status == 4, "\(failed.stderr)")
        expectOneClearLine(failed.stderr, database: db)
        try expectHealthy(db)
        #expect((try Database(path: db, readOnly: true).integer("SELECT count(*) FROM job_runs") ?? 0) < 100, "the limit did not stop the load")

        let again = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try CanonicalDump.of(databaseAt: db) == expected)
    }

    @Test(.enabled(if: SmallFilesystem.mountable, "mounting a tmpfs is not permitted here; the ulimit test covers the load"))
    func aLoadOnAFullFilesystemSaysSoAndCompletesOnceThereIsRoom() throws {
        let tree = try ProwTree.busyTree(runs: 100, cases: 400)
        let clean = tree.directory.file("clean.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", clean, "--quiet"]).status == 0)
        let expected = try CanonicalDump.of(databaseAt: clean)

        let disk = try SmallFilesystem(kilobytes: try fileSize(clean) / 2 / 1024)
        let db = disk.path + "/cisignal.sqlite"
        let failed = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"])
        #expect(failed.status == 4, "\(failed.stderr)")
        expectOneClearLine(failed.stderr, database: db)
        #expect(failed.stderr.contains("No space left on device") || failed.stderr.contains("the disk is full"), "\(failed.stderr)")
        try expectHealthy(db)

        try disk.resize(kilobytes: 64 * 1024)
        let again = try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try CanonicalDump.of(databaseAt: db) == expected)
    }

    @Test(.enabled(if: SmallFilesystem.mountable, "mounting a tmpfs is not permitted here"))
    func aReportOnAFullFilesystemKeepsTheLastOneAndLatest() throws {
        let tree = try ProwTree.busyTree(runs: 30, cases: 200)
        let db = tree.directory.file("db.sqlite")
        #expect(try run(cisignalBinary, ["ingest", tree.root, "--db", db, "--quiet"]).status == 0)
        let disk = try SmallFilesystem(kilobytes: 4096)
        let out = disk.path + "/reports"
        #expect(try run(cisignalBinary, ["report", "--db", db, "--out", out, "--as-of", "2025-11-07"]).status == 0)
        let before = try folderSnapshot(out)
        // Fill the filesystem but for a few kilobytes.
        let filler = disk.path + "/filler"
        _ = try run("/bin/dd", ["if=/dev/zero", "of=" + filler, "bs=4096", "count=100000"])
        let failed = try run(cisignalBinary, ["report", "--db", db, "--out", out, "--as-of", "2025-11-08"])
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
        #expect(failed.stderr.hasPrefix("cisignal: report stopped in stage report: cannot write the report at \(out)/2025-11-08/"), "\(failed.stderr)")
        #expect(failed.stderr.contains("No space left on device; the previous report and `latest` are kept"), "\(failed.stderr)")
        #expect(try folderSnapshot(out) == before, "the last report or latest changed")
        try FileManager.default.removeItem(atPath: filler)
        let again = try run(cisignalBinary, ["report", "--db", db, "--out", out, "--as-of", "2025-11-08"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try folderSnapshot(out, hidden: true).contains("latest -> 2025-11-08"))
    }
}

/// A tmpfs of a given size mounted on a temporary folder for one test, unmounted when released.
final class SmallFilesystem {
    let folder = TemporaryDirectory("small-fs")
    var path: String { folder.path }

    /// True when this process may mount a tmpfs (tried once).
    static let mountable: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        return (try? SmallFilesystem(kilobytes: 64)) != nil
    }()

    init(kilobytes: Int) throws {
        let result = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder.path])
        guard result.status == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    func resize(kilobytes: Int) throws {
        #expect(try run("/bin/mount", ["-o", "remount,size=\(kilobytes)k", folder.path]).status == 0)
    }

    deinit {
        _ = try? run("/bin/umount", ["-l", folder.path])
    }
}
