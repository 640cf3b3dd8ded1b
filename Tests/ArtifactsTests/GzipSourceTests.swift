import Foundation
import Testing
@testable import Artifacts

@Suite struct FileSourceTests {
    @Test func countsBytesAndComputesCRC32() throws {
        let dir = try TempDir()
        try writeFile(dir.file("check"), "123456789")
        let source = try FileSource(path: dir.file("check"))
        #expect(try readAll(source, chunk: 4) == Array("123456789".utf8))
        #expect(source.bytesRead == 9)
        #expect(source.crc32 == 0xCBF4_3926)
        source.close()
        source.close()
    }

    @Test func largeFileInSmallAndLargeReads() throws {
        let dir = try TempDir()
        let data = sampleBytes(count: 1_000_003)
        try writeFile(dir.file("big"), data)
        #expect(try readAll(FileSource(path: dir.file("big")), chunk: 1000) == data)
        #expect(try readAll(FileSource(path: dir.file("big")), chunk: 1 << 20) == data)
    }

    @Test func missingFileCannotBeOpened() {
        let error = artifactError { _ = try FileSource(path: "/nonexistent/x.xml") }
        #expect(error == .cannotOpen(reason: "no such file or directory"))
        #expect(error?.kind == "unreadable")
        #expect(error?.description == "cannot open: no such file or directory")
    }

    @Test func readAfterCloseFails() throws {
        let dir = try TempDir()
        try writeFile(dir.file("f"), "abc")
        let source = try FileSource(path: dir.file("f"))
        source.close()
        #expect(artifactError { _ = try readAll(source) } == .readFailed(reason: "the file is closed"))
    }
}

@Suite struct GzipSourceTests {
    /// Writes `data` to `name` and gzips it with the gzip command; returns the .gz path.
    func gzipped(_ data: [UInt8], _ name: String, in dir: TempDir, level: Int = 6) throws -> String {
        try writeFile(dir.file(name), data)
        try shell("gzip -\(level) -k -f '\(name)'", in: dir.path)
        return dir.file(name + ".gz")
    }

    func decoded(_ path: String, limits: DecompressionLimits = .init(), chunk: Int = 64 * 1024) throws -> [UInt8] {
        try readAll(decodedSource(FileSource(path: path), limits: limits), chunk: chunk)
    }

    @Test func roundTripAgainstGzipCommand() throws {
        let dir = try TempDir()
        let data = sampleBytes(count: 3_000_000)
        let gz = try gzipped(data, "junit.xml", in: dir)
        #expect(try decoded(gz) == data)
        #expect(try decoded(gz, chunk: 7) == data)
        #expect(try decoded(gz, chunk: 1 << 20) == data)
        // zcat agrees on the original bytes.
        #expect(try shell("zcat junit.xml.gz | cmp - junit.xml && echo same", in: dir.path) == "same\n")
    }

    @Test func multiMemberGzipIsOneStream() throws {
        let dir = try TempDir()
        let a = sampleBytes(count: 100_000, seed: 1)
        let b = sampleBytes(count: 200_000, seed: 2)
        _ = try gzipped(a, "a", in: dir)
        _ = try gzipped(b, "b", in: dir)
        try shell("cat a.gz b.gz a.gz > ab.gz", in: dir.path)
        #expect(try decoded(dir.file("ab.gz")) == a + b + a)
    }

    @Test func plainBytesPassThroughUnchanged() throws {
        let dir = try TempDir()
        for data in [Array("x".utf8), Array("\u{1f}".utf8), Array("<testsuites/>".utf8), sampleBytes(count: 500_000)] {
            try writeFile(dir.file("plain.xml"), data)
            let source = try decodedSource(FileSource(path: dir.file("plain.xml")))
            #expect(!(source is GzipSource))
            #expect(try readAll(source, chunk: 3) == data)
            #expect(!isGzipFile(dir.file("plain.xml")))
        }
    }

    @Test func gzipBytesUnderXmlNameAreDetected() throws {
        let dir = try TempDir()
        let data = Array("<testsuite name=\"e2e\"></testsuite>\n".utf8)
        let gz = try gzipped(data, "x", in: dir)
        try shell("mv '\(gz)' junit_e2e.xml", in: dir.path)
        #expect(isGzipFile(dir.file("junit_e2e.xml")))
        let source = try decodedSource(FileSource(path: dir.file("junit_e2e.xml")))
        #expect(source is GzipSource)
        #expect(try readAll(source) == data)
    }

    @Test func emptyFilePassesThroughAsEmpty() throws {
        let dir = try TempDir()
        try writeFile(dir.file("empty.xml"), [])
        #expect(try decoded(dir.file("empty.xml")) == [])
        // A GzipSource forced over no bytes at all has lost its member.
        let forced = GzipSource(try FileSource(path: dir.file("empty.xml")))
        #expect(artifactError { _ = try readAll(forced) } == .truncatedGzip)
    }

    @Test func gzipSourceOverPlainBytesIsCorrupt() throws {
        let dir = try TempDir()
        try writeFile(dir.file("plain"), "hello, world")
        let forced = GzipSource(try FileSource(path: dir.file("plain")))
        #expect(artifactError { _ = try readAll(forced) } == .corruptGzip(reason: "not in gzip format"))
    }

    @Test func truncatedGzip() throws {
        let dir = try TempDir()
        let gz = try readFile(gzipped(sampleBytes(count: 1_000_000), "t", in: dir))
        for cut in [gz.count - 4, gz.count / 2, 12, 5, 2] {
            try writeFile(dir.file("cut.gz"), Array(gz[..<cut]))
            let error = artifactError { _ = try decoded(dir.file("cut.gz")) }
            #expect(error == .truncatedGzip, "cut at \(cut)")
            #expect(error?.kind == "truncated-gzip")
        }
    }

    @Test func flippedByteInTheMiddleIsCorrupt() throws {
        let dir = try TempDir()
        var gz = try readFile(gzipped(sampleBytes(count: 1_000_000), "f", in: dir))
        gz[gz.count / 2] ^= 0x55
        try writeFile(dir.file("flipped.gz"), gz)
        let error = artifactError { _ = try decoded(dir.file("flipped.gz")) }
        guard case .corruptGzip = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(error?.kind == "corrupt-gzip")
    }

    @Test func badCRCInTrailerIsCorrupt() throws {
        let dir = try TempDir()
        var gz = try readFile(gzipped(sampleBytes(count: 50_000), "c", in: dir))
        gz[gz.count - 8] ^= 0xff
        try writeFile(dir.file("crc.gz"), gz)
        #expect(artifactError { _ = try decoded(dir.file("crc.gz")) } == .corruptGzip(reason: "incorrect data check"))
        // And the length field.
        gz[gz.count - 8] ^= 0xff
        gz[gz.count - 1] ^= 0x01
        try writeFile(dir.file("len.gz"), gz)
        #expect(artifactError { _ = try decoded(dir.file("len.gz")) } == .corruptGzip(reason: "incorrect length check"))
    }

    @Test func trailingGarbageIsAnError() throws {
        let dir = try TempDir()
        let gz = try readFile(gzipped(Array("payload".utf8), "g", in: dir))
        for tail in [Array("garbage".utf8), [0x1f], [0x1f, 0x00], [0, 0, 0, 7]] {
            try writeFile(dir.file("garbage.gz"), gz + tail)
            let error = artifactError { _ = try decoded(dir.file("garbage.gz")) }
            #expect(error == .gzipTrailingGarbage, "tail \(tail)")
            #expect(error?.kind == "gzip-trailing-garbage")
        }
    }

    @Test func trailingZeroPaddingIsAccepted() throws {
        let dir = try TempDir()
        let data = sampleBytes(count: 10_000)
        let gz = try readFile(gzipped(data, "z", in: dir))
        try writeFile(dir.file("padded.gz"), gz + [UInt8](repeating: 0, count: 300_000))
        #expect(try decoded(dir.file("padded.gz")) == data)
    }

    @Test func sizeLimit() throws {
        let dir = try TempDir()
        let data = sampleBytes(count: 5000)
        let gz = try gzipped(data, "s", in: dir)
        let error = artifactError { _ = try decoded(gz, limits: .init(maxBytes: 1000)) }
        #expect(error == .decompressedSizeLimit(limit: 1000))
        #expect(error?.kind == "size-limit")
        // Exactly at the limit is fine.
        #expect(try decoded(gz, limits: .init(maxBytes: 5000)) == data)
    }

    @Test func compressionBombHitsRatioLimitWithBoundedOutput() throws {
        let dir = try TempDir()
        try shell("head -c 200000000 /dev/zero | gzip -9 > bomb.gz", in: dir.path)
        let source = GzipSource(try FileSource(path: dir.file("bomb.gz")), limits: .init(maxRatio: 100))
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let error = artifactError {
            while try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }) > 0 {}
        }
        #expect(error == .compressionRatioLimit(limit: 100))
        #expect(error?.kind == "ratio-limit")
        // Stopped just past the 16 MiB threshold, not after inflating everything.
        #expect(source.decompressedBytes < 17 << 20)
        // Later reads keep failing the same way.
        #expect(artifactError { _ = try buffer.withUnsafeMutableBytes { try source.read(into: $0) } } == .compressionRatioLimit(limit: 100))
    }

    @Test func smallRegularFilesAreNotRatioLimited() throws {
        let dir = try TempDir()
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let gz = try gzipped(zeros, "zeros", in: dir, level: 9)
        #expect(try decoded(gz, limits: .init(maxRatio: 10)).count == zeros.count)
    }
}
