import Foundation
import Testing
@testable import Artifacts

@Suite struct TarWriterTests {
    private struct Member: Equatable {
        var path: String
        var bytes: [UInt8]
        var mtime: Int64
    }

    private func read(_ source: ByteSource) throws -> [Member] {
        let reader = TarReader(source)
        var members: [Member] = []
        while let entry = try reader.next() {
            #expect(entry.kind == .file)
            members.append(Member(path: entry.path, bytes: try readAll(reader.body), mtime: entry.mtime))
        }
        return members
    }

    private let members: [Member] = [
        Member(path: "1234/started.json", bytes: Array("{\"timestamp\":1700000000}".utf8), mtime: 1_700_000_000),
        Member(path: "1234/empty", bytes: [], mtime: 1_700_000_001),
        Member(path: "1234/artifacts/" + String(repeating: "step-name/", count: 12) + "junit.xml",
               bytes: sampleBytes(count: 5000), mtime: 1_700_000_002),
        Member(path: "1234/artifacts/" + String(repeating: "x", count: 180) + "/junit_e2e.xml",
               bytes: sampleBytes(count: 513), mtime: 1_700_000_003),
        Member(path: "1234/" + String(repeating: "a", count: 120), bytes: [1, 2, 3], mtime: 1_700_000_004),
    ]

    private func write(into sink: ByteSink) throws {
        let tar = TarWriter(sink: sink)
        for member in members { try tar.addFile(path: member.path, bytes: member.bytes, mtime: member.mtime) }
        try tar.finish()
        #expect(tar.bytesWritten % 10240 == 0)
    }

    @Test func roundTripsThroughTarReaderWithPrefixAndPaxNames() throws {
        let memory = MemorySink()
        try write(into: memory)
        #expect(try read(MemorySource(memory.bytes)) == members)
        // The same entries give the same bytes.
        let again = MemorySink()
        try write(into: again)
        #expect(again.bytes == memory.bytes)
    }

    @Test func gzippedArchivePassesSystemTarAndReadsBack() throws {
        let dir = try TempDir()
        let path = dir.file("1234.tar.gz")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let gzip = try GzipWriter(sink: FileDescriptorSink(fd: fd), level: 1)
        try write(into: gzip)
        try gzip.finish()
        close(fd)
        let listing = try shell("tar -tzf 1234.tar.gz", in: dir.path)
        #expect(listing.split(separator: "\n").map(String.init) == members.map(\.path))
        try shell("mkdir out && tar -xzf 1234.tar.gz -C out", in: dir.path)
        #expect(try readFile(dir.file("out/" + members[2].path)) == members[2].bytes)
        #expect(try read(decodedSource(FileSource(path: path))) == members)
    }

    @Test func paxRecordLengthCountsItself() {
        #expect(TarWriter.paxRecord(key: "path", value: Array("abc".utf8)) == Array("12 path=abc\n".utf8))
        // A 99-byte body needs a 3-digit length, which makes the record 102 bytes, not 101.
        let long = TarWriter.paxRecord(key: "path", value: [UInt8](repeating: 97, count: 92))
        #expect(long.count == 102 && long.starts(with: Array("102 path=".utf8)))
    }

    @Test func refusesEmptyPathsAndWritesAfterFinish() throws {
        let tar = TarWriter(sink: MemorySink())
        #expect(throws: ArtifactWriteError.self) { try tar.addFile(path: "", bytes: [], mtime: 0) }
        try tar.finish()
        #expect(throws: ArtifactWriteError.finished) { try tar.addFile(path: "a", bytes: [], mtime: 0) }
    }
}
