import Foundation
import Testing
@testable import Artifacts

@Suite struct GzipWriterTests {
    private func gzip(_ data: [UInt8], level: Int32 = 1, chunk: Int = 100_000) throws -> [UInt8] {
        let memory = MemorySink()
        let writer = try GzipWriter(sink: memory, level: level)
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + chunk)
            try data[offset..<end].withUnsafeBytes { try writer.write($0) }
            offset = end
        }
        try writer.finish()
        #expect(writer.bytesIn == Int64(data.count))
        #expect(writer.bytesOut == Int64(memory.bytes.count))
        return memory.bytes
    }

    @Test func roundTripsThroughGzipSourceAtEveryChunking() throws {
        let data = sampleBytes(count: 700_001)
        for (level, chunk) in [(Int32(1), 1), (1, 4096), (6, 300_000), (9, 1 << 20)] where !(chunk == 1 && data.count > 50_000) {
            let compressed = try gzip(data, level: level, chunk: chunk)
            #expect(try readAll(decodedSource(MemorySource(compressed))) == data)
        }
        let small = sampleBytes(count: 20_000)
        #expect(try readAll(decodedSource(MemorySource(try gzip(small, chunk: 1)))) == small)
    }

    @Test func headerHasNoTimeAndNoNameSoOutputIsReproducible() throws {
        let data = Array(String(repeating: "<testcase name=\"x\"/>\n", count: 5000).utf8)
        let first = try gzip(data)
        let second = try gzip(data, chunk: 777)
        #expect(first == second)
        #expect(Array(first[0..<4]) == [0x1f, 0x8b, 8, 0])  // magic, deflate, no flags (no name)
        #expect(Array(first[4..<8]) == [0, 0, 0, 0])       // mtime 0
        #expect(first.count < data.count / 20)
    }

    @Test func emptyInputIsAValidGzipStream() throws {
        let compressed = try gzip([])
        #expect(try readAll(decodedSource(MemorySource(compressed))).isEmpty)
        #expect(compressed.count == 20)
    }

    @Test func resetStartsAnIndependentStream() throws {
        let first = MemorySink(), second = MemorySink()
        let writer = try GzipWriter(sink: first, level: 1)
        try writer.write(Array("first".utf8))
        try writer.finish()
        try writer.reset(sink: second)
        try writer.write(Array("second".utf8))
        try writer.finish()
        #expect(try readAll(GzipSource(MemorySource(first.bytes))) == Array("first".utf8))
        #expect(try readAll(GzipSource(MemorySource(second.bytes))) == Array("second".utf8))
        #expect(throws: ArtifactWriteError.finished) { try writer.write(Array("late".utf8)) }
    }

    @Test func fileDescriptorSinkOutputPassesSystemGzip() throws {
        let dir = try TempDir()
        let path = dir.file("data.xml.gz")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        let data = sampleBytes(count: 1_500_000)
        let writer = try GzipWriter(sink: FileDescriptorSink(fd: fd), level: 1)
        try data.withUnsafeBytes { try writer.write($0) }
        try writer.finish()
        close(fd)
        try shell("gzip -t data.xml.gz", in: dir.path)
        #expect(try readAll(decodedSource(FileSource(path: path))) == data)
        let cksum = try shell("gzip -dc data.xml.gz | wc -c", in: dir.path)
        #expect(cksum.trimmingCharacters(in: .whitespacesAndNewlines) == "1500000")
    }

    @Test func writeErrorsAreOneLine() {
        let sink = FileDescriptorSink(fd: -1)
        #expect(throws: ArtifactWriteError.writeFailed(reason: "bad file descriptor")) { try sink.write([1, 2, 3]) }
        #expect(ArtifactWriteError.finished.description == "write after the stream was finished")
    }
}
