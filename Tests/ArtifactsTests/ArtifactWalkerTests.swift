import Foundation
import Testing
@testable import Artifacts

/// A bucket with every layout and oddity the walker must handle, plus a directory outside it.
struct SampleBucket {
    let dir: TempDir
    var bucket: String { dir.file("bucket") }
    var outside: String { dir.file("outside") }

    init() throws {
        dir = try TempDir()
        let b = "bucket/"
        try writeFile(dir.file(b + "logs/jobA/1/started.json"), "{\"timestamp\": 1}")
        try writeFile(dir.file(b + "logs/jobA/1/finished.json"), "{\"passed\": true}")
        try writeFile(dir.file(b + "logs/jobA/1/build-log.txt"), "log line\n")
        try writeFile(dir.file(b + "logs/jobA/1/.hidden"), "h")
        try writeFile(dir.file(b + "logs/jobA/1/artifacts/e2e/junit_e2e.xml"), "<testsuite/>")
        try writeFile(dir.file(b + "logs/jobA/1/artifacts/must-gather/started.json"), "{}")
        try shell("""
            cd bucket/logs/jobA/1/artifacts && tar czf must-gather.tar.gz must-gather && rm -r must-gather
            cd ../.. && mkdir 2 && echo '{}' > 2/started.json && tar czf 2.tar.gz 2 && rm -r 2
            """, in: dir.path)
        try writeFile(dir.file(b + "pr-logs/pull/org_repo/12/jobB/3/started.json"), "{}")
        try writeFile(dir.file(b + "pr-logs/pull/batch/jobC/4/finished.json"), "{}")
        try writeFile(dir.file(b + "logs/jobD/5/build-log.txt"), "only prowjob")
        try shell("echo '{}' | gzip > bucket/logs/jobD/5/prowjob.json.gz", in: dir.path)
        try writeFile(dir.file(b + "logs/jobE/6/build-log.txt"), "no metadata: not a run")
        try writeFile(dir.file("outside/7/started.json"), "{}")
        try shell("""
            ln -s .. bucket/logs/jobA/loop
            ln -s ../../outside bucket/logs/escape
            ln -s chain2 bucket/logs/chain1 && ln -s chain1 bucket/logs/chain2
            ln -s jobA bucket/logs/alias
            """, in: dir.path)
    }
}

@Suite struct ArtifactWalkerTests {
    let expectedRuns = [
        "logs/jobA/1", "logs/jobA/2.tar.gz", "logs/jobD/5",
        "pr-logs/pull/batch/jobC/4", "pr-logs/pull/org_repo/12/jobB/3",
    ]

    func relative(_ runs: [RunLocation], to root: String) -> [String] {
        runs.map { String($0.path.dropFirst(root.count + 1)) }
    }

    @Test func findsRunsFromTheBucketRoot() throws {
        let sample = try SampleBucket()
        let (runs, problems) = ArtifactWalker().findRuns(roots: [sample.bucket])
        #expect(relative(runs, to: sample.bucket) == expectedRuns)
        #expect(runs[1] == .archive(sample.bucket + "/logs/jobA/2.tar.gz"))
        #expect(runs[0] == .directory(sample.bucket + "/logs/jobA/1"))
        let found = Set(problems.map { "\($0.kind) \($0.path.dropFirst(sample.bucket.count + 1))" })
        #expect(found == [
            "symlink-loop logs/alias/loop",
            "symlink-loop logs/jobA/loop",
            "symlink-loop logs/chain1",
            "symlink-loop logs/chain2",
            "symlink-outside-root logs/escape",
        ])
        #expect(problems.allSatisfy { !$0.reason.isEmpty && !$0.reason.contains("\n") })
    }

    @Test func findsRunsFromOtherKindsOfRoot() throws {
        let sample = try SampleBucket()
        let walker = ArtifactWalker()
        let logs = walker.findRuns(roots: [sample.bucket + "/logs/"])
        #expect(logs.runs.map(\.path) == ["logs/jobA/1", "logs/jobA/2.tar.gz", "logs/jobD/5"].map { sample.bucket + "/" + $0 })
        let job = walker.findRuns(roots: [sample.bucket + "/logs/jobA"])
        #expect(job.runs == [.directory(sample.bucket + "/logs/jobA/1"), .archive(sample.bucket + "/logs/jobA/2.tar.gz")])
        let run = walker.findRuns(roots: [sample.bucket + "/logs/jobA/1/"])
        #expect(run.runs == [.directory(sample.bucket + "/logs/jobA/1")])
        #expect(run.problems.isEmpty)
        let archive = walker.findRuns(roots: [sample.bucket + "/logs/jobA/2.tar.gz"])
        #expect(archive.runs == [.archive(sample.bucket + "/logs/jobA/2.tar.gz")])
        let pr = walker.findRuns(roots: [sample.bucket + "/pr-logs"])
        #expect(relative(pr.runs, to: sample.bucket) == ["pr-logs/pull/batch/jobC/4", "pr-logs/pull/org_repo/12/jobB/3"])
    }

    @Test func overlappingRootsAreDeduplicated() throws {
        let sample = try SampleBucket()
        let (runs, _) = ArtifactWalker().findRuns(roots: [
            sample.bucket + "/logs/jobA/1", sample.bucket, sample.bucket + "/logs/jobA/", sample.bucket + "/logs/alias",
        ])
        #expect(relative(runs, to: sample.bucket) == expectedRuns)
    }

    @Test func linksAreFollowedInsideAnyRoot() throws {
        let sample = try SampleBucket()
        // With the outside directory as a second root, the escape link may be followed; the run it
        // leads to is the same as the one found directly, and is listed under its link-free path.
        let (runs, problems) = ArtifactWalker().findRuns(roots: [sample.bucket, sample.outside])
        #expect(runs.map(\.path).contains(sample.outside + "/7"))
        #expect(!runs.map(\.path).contains(sample.bucket + "/logs/escape/7"))
        #expect(runs.count == expectedRuns.count + 1)
        #expect(!problems.contains { $0.kind == "symlink-outside-root" })
    }

    @Test func missingRootIsAProblem() throws {
        let sample = try SampleBucket()
        let missing = sample.bucket + "/no/such/dir"
        let (runs, problems) = ArtifactWalker().findRuns(roots: [missing, sample.bucket + "/logs/jobD"])
        #expect(runs == [.directory(sample.bucket + "/logs/jobD/5")])
        #expect(problems == [WalkProblem(path: missing, kind: "unreadable", reason: "no such file or directory")])
        let listing = ArtifactWalker().listFiles(ofRun: missing)
        #expect(listing.files.isEmpty)
        #expect(listing.problems == [WalkProblem(path: missing, kind: "unreadable", reason: "no such file or directory")])
    }

    @Test func unreadableAndVanishedDirectoriesAreReportedAndSkipped() throws {
        // Tests run as root, for whom chmod 000 blocks nothing, so the failing open(2) is simulated.
        let sample = try SampleBucket()
        var walker = ArtifactWalker()
        let bucket = sample.bucket
        walker.directoryOpenFault = { path in
            switch path {
            case bucket + "/logs/jobD": return EACCES
            case bucket + "/pr-logs/pull/batch": return ENOENT
            default: return nil
            }
        }
        let (runs, problems) = walker.findRuns(roots: [bucket])
        #expect(relative(runs, to: bucket) == ["logs/jobA/1", "logs/jobA/2.tar.gz", "pr-logs/pull/org_repo/12/jobB/3"])
        #expect(problems.contains(WalkProblem(path: bucket + "/logs/jobD", kind: "unreadable", reason: "permission denied")))
        #expect(problems.contains(WalkProblem(path: bucket + "/pr-logs/pull/batch", kind: "vanished", reason: "disappeared during the walk")))
    }

    @Test(.enabled(if: getuid() != 0, "root reads directories whatever their mode"))
    func reallyUnreadableDirectory() throws {
        let sample = try SampleBucket()
        try shell("chmod 000 bucket/logs/jobD", in: sample.dir.path)
        let (runs, problems) = ArtifactWalker().findRuns(roots: [sample.bucket])
        #expect(!runs.map(\.path).contains(sample.bucket + "/logs/jobD/5"))
        #expect(problems.contains(WalkProblem(path: sample.bucket + "/logs/jobD", kind: "unreadable", reason: "permission denied")))
    }

    @Test func listFilesOfARun() throws {
        let sample = try SampleBucket()
        let run = sample.bucket + "/logs/jobA/1"
        try shell("""
            touch -d @1700000000.25 started.json
            ln -s ../build-log.txt artifacts/log-link
            ln -s ../../../jobD/5/build-log.txt artifacts/other-run-log
            mkdir artifacts/empty-dir
            """, in: run)
        let (files, problems) = ArtifactWalker().listFiles(ofRun: run + "/")
        // artifacts/log-link leads to build-log.txt: one file, listed once, by its path without links.
        #expect(files.map(\.relativePath) == [
            ".hidden", "artifacts/e2e/junit_e2e.xml", "artifacts/must-gather.tar.gz",
            "build-log.txt", "finished.json", "started.json",
        ])
        #expect(files.allSatisfy { $0.path == run + "/" + $0.relativePath })
        let sizes = Dictionary(uniqueKeysWithValues: files.map { ($0.relativePath, $0.size) })
        #expect(sizes["build-log.txt"] == 9)
        #expect(sizes["artifacts/log-link"] == nil)
        #expect(sizes["artifacts/e2e/junit_e2e.xml"] == 12)
        #expect(sizes["artifacts/must-gather.tar.gz"] == Int64(try readFile(run + "/artifacts/must-gather.tar.gz").count))
        #expect(files.last?.mtimeNanoseconds == 1_700_000_000_250_000_000)
        // Links are followed only within the run directory.
        #expect(problems == [WalkProblem(
            path: run + "/artifacts/other-run-log", kind: "symlink-outside-root",
            reason: "symbolic link leads outside the run folder, to \(resolvedPath(sample.bucket + "/logs/jobD/5/build-log.txt"))")])
    }

    @Test func aFileReachedThroughALinkIsListedOnceWhicheverComesFirst() throws {
        let sample = try SampleBucket()
        let run = sample.bucket + "/logs/jobA/1"
        // "a-link" sorts (and may be read) before the real folder "e2e".
        try shell("ln -s e2e artifacts/a-link", in: run)
        let (files, problems) = ArtifactWalker().listFiles(ofRun: run)
        #expect(problems.isEmpty)
        #expect(files.filter { $0.relativePath.hasSuffix("junit_e2e.xml") }.map(\.relativePath) == ["artifacts/e2e/junit_e2e.xml"])
    }

    @Test func listFilesWithLoops() throws {
        let sample = try SampleBucket()
        let run = sample.bucket + "/logs/jobA/1"
        try shell("ln -s .. artifacts/up", in: run)
        let (files, problems) = ArtifactWalker().listFiles(ofRun: run)
        #expect(files.count == 6)
        #expect(problems.map(\.kind) == ["symlink-loop"])
        #expect(problems.first?.path == run + "/artifacts/up")
    }
}

func resolvedPath(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}
