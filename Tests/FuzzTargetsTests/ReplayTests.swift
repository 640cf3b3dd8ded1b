import Artifacts
import Foundation
import FuzzTargets
import TestSupport
import Testing

/// The fuzzers' seed corpus and every saved input replayed through the fuzz targets in an ordinary
/// build: a target that breaks a promise stops the test process, so these tests fail loudly.
@Suite struct ReplayTests {
    /// Every `.xml` file of the shared JUnit fixtures (the fuzzers' seeds).
    func fixtureFiles() throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: fixturesRoot))
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".xml") }.sorted()
            .map { fixturesRoot + "/" + $0 }
    }

    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func theSeedCorpusReplaysThroughEveryTarget() throws {
        let files = try fixtureFiles()
        #expect(files.count > 50, "the shared fixtures are missing: \(fixturesRoot)")
        let sink = MemorySink()
        let archive = TarWriter(sink: sink)
        for (index, path) in files.enumerated() {
            let xml = try bytes(path)
            FuzzTarget.junit.run(xml)
            FuzzTarget.gzip.run(xml)
            FuzzTarget.gzip.run(try gzipped(xml))
            try xml.withUnsafeBytes { try archive.addFile(path: "run/\(index)/junit.xml", bytes: $0, mtime: 0) }
        }
        try archive.finish()
        FuzzTarget.tar.run(sink.bytes)
        FuzzTarget.tar.run(try gzipped(sink.bytes))
    }

    @Test func everySavedInputReplays() throws {
        // Inputs that once broke a promise, kept after the fix: Fuzz/regressions/TARGET/*.
        var replayed = 0
        for target in FuzzTarget.allCases {
            let folder = packageRoot.appendingPathComponent("Fuzz/regressions/\(target.rawValue)").path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                target.run(try bytes(folder + "/" + name))
                replayed += 1
            }
        }
        print("replayed \(replayed) saved fuzz inputs")
    }

    @Test func theReplayProgramRunsFilesAndRefusesAnUnknownTarget() throws {
        let program = cisignalBinary.replacingOccurrences(of: "/cisignal", with: "/cisignal-fuzz")
        let files = Array(try fixtureFiles().prefix(3))
        let result = try run(program, ["junit"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        let unknown = try run(program, ["xml"])
        #expect(unknown.status == 2 && unknown.stderr.contains("usage: cisignal-fuzz junit|gzip|tar"))
    }
}
