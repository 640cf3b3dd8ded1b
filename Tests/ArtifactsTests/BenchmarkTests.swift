import Foundation
import Testing
@testable import Artifacts

/// Throughput figures, run on demand: `CISIGNAL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter BenchmarkTests`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CISIGNAL_BENCH"] != nil))
struct BenchmarkTests {
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func inflateThroughput() throws {
        let dir = try TempDir()
        // ~200 MB of JUnit-like XML, gzipped with the gzip command (ratio similar to real reports).
        try shell("""
            python3 -c '
            import random, sys
            r = random.Random(7)
            out = sys.stdout
            for i in range(1300000):
                out.write("<testcase name=\\"[sig-%s] test %d should work [Suite:openshift]\\" classname=\\"e2e\\" time=\\"%.3f\\"><system-out>%x</system-out></testcase>\\n" % (r.choice(["network","storage","apps","auth"]), r.randrange(100000), r.random()*100, r.getrandbits(64)))
            ' > junit.xml && gzip -6 -k junit.xml
            """, in: dir.path)
        let raw = try readFile(dir.file("junit.xml")).count
        let compressed = try readFile(dir.file("junit.xml.gz")).count
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var best = Double.infinity
        for _ in 0..<3 {
            let source = try decodedSource(FileSource(path: dir.file("junit.xml.gz")))
            var total = 0
            best = min(best, try seconds {
                while case let n = try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }), n > 0 { total += n }
            })
            #expect(total == raw)
        }
        var zcatBest = Double.infinity
        for _ in 0..<3 {
            zcatBest = min(zcatBest, try seconds { try shell("zcat junit.xml.gz > /dev/null", in: dir.path) })
        }
        var plainBest = Double.infinity
        for _ in 0..<3 {
            let source = try FileSource(path: dir.file("junit.xml"))
            plainBest = min(plainBest, try seconds {
                while try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }) > 0 {}
            })
        }
        let mb = Double(raw) / 1e6
        print("BENCH inflate: \(Int(mb)) MB out of \(compressed / 1_000_000) MB gz: GzipSource \(Int(mb / best)) MB/s, zcat \(Int(mb / zcatBest)) MB/s; FileSource+crc32 plain read \(Int(mb / plainBest)) MB/s")
    }

    @Test func walkerThroughput() throws {
        let dir = try TempDir()
        try shell("""
            python3 -c '
            import os
            for j in range(50):
                for b in range(200):
                    d = "logs/job%d/%d" % (j, 1000 + b)
                    os.makedirs(d + "/artifacts/e2e")
                    for name in ["started.json", "finished.json", "prowjob.json", "build-log.txt", "podinfo.json"]:
                        open(d + "/" + name, "w").write("{}")
                    for name in ["junit_e2e.xml", "junit_install.xml", "metadata.json"]:
                        open(d + "/artifacts/e2e/" + name, "w").write("<x/>")
            '
            """, in: dir.path)
        let walker = ArtifactWalker()
        var runs: [RunLocation] = []
        let find = seconds {
            let result = walker.findRuns(roots: [dir.path])
            runs = result.runs
            #expect(result.problems.isEmpty)
        }
        #expect(runs.count == 10_000)
        var fileCount = 0
        let list = seconds {
            for run in runs { fileCount += walker.listFiles(ofRun: run.path).files.count }
        }
        #expect(fileCount == 80_000)
        print("BENCH walker: findRuns over 10,000 runs \(Int(find * 1000)) ms; listFiles of all 10,000 runs (80,000 files) \(Int(list * 1000)) ms")
    }
}
