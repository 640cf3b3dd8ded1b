import Foundation
import Testing
@testable import Artifacts

/// Every entry of the archive at `path`, with the body of each regular file.
func tarContents(_ path: String) throws -> [(entry: TarEntry, body: [UInt8])] {
    let reader = TarReader(try decodedSource(FileSource(path: path)))
    var result: [(TarEntry, [UInt8])] = []
    while let entry = try reader.next() {
        result.append((entry, entry.kind == .file ? try readAll(reader.body, chunk: 1000) : []))
    }
    return result
}

/// A hand-made tar header block (ustar magic), with a correct checksum unless told otherwise.
func tarHeader(name: String, type: Character = "0", size: Int, sizeField: [UInt8]? = nil,
               linkName: String = "", mtime: Int = 1_700_000_000) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ bytes: [UInt8], at offset: Int) {
        for (i, byte) in bytes.enumerated() { block[offset + i] = byte }
    }
    put(Array(name.utf8), at: 0)
    put(Array("0000644\0".utf8), at: 100)
    put(sizeField ?? Array((String(size, radix: 8).leftPadded(11) + "\0").utf8), at: 124)
    put(Array((String(mtime, radix: 8).leftPadded(11) + "\0").utf8), at: 136)
    block[156] = type.asciiValue!
    put(Array(linkName.utf8), at: 157)
    put(Array("ustar\0".utf8) + Array("00".utf8), at: 257)
    put(Array("        ".utf8), at: 148)
    let sum = block.reduce(0) { $0 + Int($1) }
    put(Array((String(sum, radix: 8).leftPadded(6) + "\0 ").utf8), at: 148)
    return block
}

/// A body padded to whole blocks.
func tarBody(_ bytes: [UInt8]) -> [UInt8] {
    bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
}

/// A pax extended header record "length key=value\n".
func paxRecord(_ key: String, _ value: String) -> String {
    let body = " \(key)=\(value)\n"
    var length = body.utf8.count + 1
    while String(length).count + body.utf8.count != length { length += 1 }
    return "\(length)\(body)"
}

extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

@Suite struct TarReaderTests {
    @Test func tarCzfWithNestedDirectories() throws {
        let dir = try TempDir()
        let xml = sampleBytes(count: 300_000)
        try writeFile(dir.file("run/started.json"), "{\"timestamp\": 1}")
        try writeFile(dir.file("run/artifacts/e2e/junit/junit_e2e.xml"), xml)
        try writeFile(dir.file("run/artifacts/deep/a/b/c.txt"), "c")
        try writeFile(dir.file("run/empty"), [])
        try shell("tar czf run.tar.gz run", in: dir.path)
        let contents = try tarContents(dir.file("run.tar.gz"))
        let files = Dictionary(uniqueKeysWithValues: contents.filter { $0.entry.kind == .file }.map { ($0.entry.path, $0.body) })
        #expect(files == [
            "run/started.json": Array("{\"timestamp\": 1}".utf8),
            "run/artifacts/e2e/junit/junit_e2e.xml": xml,
            "run/artifacts/deep/a/b/c.txt": Array("c".utf8),
            "run/empty": [],
        ])
        let directories = Set(contents.filter { $0.entry.kind == .directory }.map(\.entry.path))
        #expect(directories.isSuperset(of: ["run/", "run/artifacts/", "run/artifacts/deep/a/b/"]))
        #expect(contents.first { $0.entry.path == "run/artifacts/e2e/junit/junit_e2e.xml" }?.entry.size == 300_000)
    }

    @Test func dotSlashPrefixIsRemoved() throws {
        let dir = try TempDir()
        try writeFile(dir.file("run/finished.json"), "{}")
        try shell("tar cf run.tar -C run .", in: dir.path)
        let paths = try tarContents(dir.file("run.tar")).map(\.entry.path)
        #expect(paths == [".", "finished.json"])
    }

    @Test func paxLongNames() throws {
        let dir = try TempDir()
        let longName = String(repeating: "p", count: 150) + ".xml"
        try writeFile(dir.file("d/" + longName), "pax body")
        try shell("touch -d @1600000000 'd/\(longName)' && tar --format=pax -cf pax.tar d", in: dir.path)
        // The archive really uses an extended header.
        #expect(try readFile(dir.file("pax.tar"))[156] == UInt8(ascii: "x"))
        let entry = try #require(try tarContents(dir.file("pax.tar")).first { $0.entry.kind == .file })
        #expect(entry.entry.path == "d/" + longName)
        #expect(entry.body == Array("pax body".utf8))
        #expect(entry.entry.mtime == 1_600_000_000)
    }

    @Test func gnuLongNamesAndLinks() throws {
        let dir = try TempDir()
        let longName = String(repeating: "g", count: 180)
        let longTarget = String(repeating: "t", count: 120)
        try writeFile(dir.file("d/" + longName), "gnu body")
        try shell("ln -s '\(longTarget)' d/link && tar --format=gnu -cf gnu.tar d", in: dir.path)
        let contents = try tarContents(dir.file("gnu.tar"))
        let file = try #require(contents.first { $0.entry.kind == .file })
        #expect(file.entry.path == "d/" + longName)
        #expect(file.body == Array("gnu body".utf8))
        let link = try #require(contents.first { $0.entry.kind == .symlink })
        #expect(link.entry.path == "d/link")
        #expect(link.entry.linkTarget == longTarget)
    }

    @Test func ustarPrefixField() throws {
        let dir = try TempDir()
        let directory = String(repeating: "u", count: 90) + "/" + String(repeating: "v", count: 40)
        let path = directory + "/junit.xml"
        try writeFile(dir.file(path), "ustar body")
        try shell("tar --format=ustar -cf ustar.tar '\(path)'", in: dir.path)
        let raw = try readFile(dir.file("ustar.tar"))
        #expect(raw[345] == UInt8(ascii: "u"))  // the prefix field is in use
        let contents = try tarContents(dir.file("ustar.tar"))
        #expect(contents.map(\.entry.path) == [path])
        #expect(contents.first?.body == Array("ustar body".utf8))
    }

    @Test func unreadBodiesAreSkipped() throws {
        let dir = try TempDir()
        let big = sampleBytes(count: 200_001)
        try writeFile(dir.file("r/a.bin"), big)
        try writeFile(dir.file("r/b.txt"), "bee")
        try writeFile(dir.file("r/c.bin"), big)
        try writeFile(dir.file("r/d.txt"), "dee")
        try shell("tar cf r.tar r/a.bin r/b.txt r/c.bin r/d.txt", in: dir.path)
        let reader = TarReader(try FileSource(path: dir.file("r.tar")))
        #expect(try reader.next()?.path == "r/a.bin")          // body not read at all
        #expect(try reader.next()?.path == "r/b.txt")
        #expect(try readAll(reader.body) == Array("bee".utf8))
        #expect(try reader.next()?.path == "r/c.bin")
        let partial = reader.body
        var some = [UInt8](repeating: 0, count: 1000)
        #expect(try some.withUnsafeMutableBytes { try partial.read(into: $0) } == 1000)
        #expect(Array(some) == Array(big[..<1000]))
        #expect(try reader.next()?.path == "r/d.txt")
        #expect(try readAll(partial) == [])                     // an old body reads as empty
        #expect(try readAll(reader.body) == Array("dee".utf8))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func badChecksumIsBadHeader() throws {
        let dir = try TempDir()
        try writeFile(dir.file("r/a"), "a")
        try writeFile(dir.file("r/b"), "b")
        try shell("tar cf r.tar r/a r/b", in: dir.path)
        var raw = try readFile(dir.file("r.tar"))
        raw[1024 + 2] ^= 0x01  // the second header ("r/b"), after a's header and body block
        try writeFile(dir.file("bad.tar"), raw)
        let reader = TarReader(try FileSource(path: dir.file("bad.tar")))
        #expect(try reader.next()?.path == "r/a")
        let error = artifactError { _ = try reader.next() }
        guard case .badTarHeader(let offset, let reason) = error else {
            Issue.record("expected badTarHeader, got \(String(describing: error))")
            return
        }
        #expect(offset == 1024)
        #expect(reason.contains("checksum"))
        #expect(error?.kind == "bad-tar-header")
        // Something that is not a tar at all.
        try writeFile(dir.file("notes.txt"), String(repeating: "not a tar archive\n", count: 100))
        #expect(artifactError { _ = try tarContents(dir.file("notes.txt")) }?.kind == "bad-tar-header")
    }

    @Test func truncatedArchive() throws {
        let dir = try TempDir()
        try writeFile(dir.file("r/a.bin"), sampleBytes(count: 100_000))
        try writeFile(dir.file("r/b.bin"), sampleBytes(count: 100_000))
        try shell("tar cf r.tar r/a.bin r/b.bin", in: dir.path)
        let raw = try readFile(dir.file("r.tar"))
        for cut in [50_000, 512 + 100_000 + 100, 512 + 100_352 + 300, 100] {
            try writeFile(dir.file("cut.tar"), Array(raw[..<cut]))
            let error = artifactError { _ = try tarContents(dir.file("cut.tar")) }
            #expect(error == .truncatedTar, "cut at \(cut)")
        }
        // A tar.gz cut short fails in gzip first.
        try shell("gzip -k r.tar && head -c 20000 r.tar.gz > cut.tar.gz", in: dir.path)
        #expect(artifactError { _ = try tarContents(dir.file("cut.tar.gz")) } == .truncatedGzip)
    }

    @Test func symlinkAndHardlinkEntries() throws {
        let dir = try TempDir()
        try writeFile(dir.file("r/target.txt"), "t")
        try shell("ln -s target.txt r/soft && ln r/target.txt r/hard && tar cf r.tar r/target.txt r/soft r/hard", in: dir.path)
        let entries = try tarContents(dir.file("r.tar")).map(\.entry)
        #expect(entries.count == 3)
        #expect(entries[1].kind == .symlink)
        #expect(entries[1].linkTarget == "target.txt")
        #expect(entries[1].size == 0)
        #expect(entries[2].kind == .hardlink)
        #expect(entries[2].linkTarget == "r/target.txt")
        #expect(entries[0].linkTarget == nil)
    }

    @Test func handMadeArchives() throws {
        let dir = try TempDir()
        // Base-256 size, a global pax header, a per-entry pax header, and no end-of-archive marker.
        var base256 = [UInt8](repeating: 0, count: 12)
        base256[0] = 0x80
        base256[11] = 5
        let global = Array((paxRecord("path", "ignored/global") + paxRecord("comment", "hi")).utf8)
        let local = Array((paxRecord("path", "./from/pax.xml") + paxRecord("size", "3") + paxRecord("mtime", "1234.5")).utf8)
        let archive = tarHeader(name: "b256.txt", size: 0, sizeField: base256) + tarBody(Array("hello".utf8))
            + tarHeader(name: "pax_global_header", type: "g", size: global.count) + tarBody(global)
            + tarHeader(name: "PaxHeader/x", type: "x", size: local.count) + tarBody(local)
            + tarHeader(name: "short.xml", size: 0) + tarBody(Array("abc".utf8))
            + tarHeader(name: "old-style-dir/", size: 0)
        try writeFile(dir.file("hand.tar"), archive)
        let contents = try tarContents(dir.file("hand.tar"))
        #expect(contents.map(\.entry) == [
            TarEntry(path: "b256.txt", kind: .file, size: 5, mtime: 1_700_000_000),
            TarEntry(path: "from/pax.xml", kind: .file, size: 3, mtime: 1234),
            TarEntry(path: "old-style-dir/", kind: .directory, size: 0, mtime: 1_700_000_000),
        ])
        #expect(contents.map(\.body) == [Array("hello".utf8), Array("abc".utf8), []])

        // A malformed pax record.
        let broken = Array("99 path=x\n".utf8)
        try writeFile(dir.file("broken.tar"), tarHeader(name: "p", type: "x", size: broken.count) + tarBody(broken))
        #expect(artifactError { _ = try tarContents(dir.file("broken.tar")) }
                == .badTarHeader(offset: 0, reason: "malformed pax extended header"))

        // An extended header with nothing after it.
        try writeFile(dir.file("dangling.tar"), tarHeader(name: "p", type: "x", size: local.count) + tarBody(local))
        #expect(artifactError { _ = try tarContents(dir.file("dangling.tar")) } == .truncatedTar)
    }

    @Test func absurdSizesAreBadHeadersAndFarFutureTimesAreKept() throws {
        let dir = try TempDir()
        let huge = Array((paxRecord("size", "9223372036854775807")).utf8)
        try writeFile(dir.file("huge.tar"), tarHeader(name: "PaxHeader/x", type: "x", size: huge.count) + tarBody(huge)
                      + tarHeader(name: "build-log.txt", size: 0) + tarBody(Array("x".utf8)))
        guard case .badTarHeader(_, let reason)? = artifactError({ _ = try tarContents(dir.file("huge.tar")) }) else {
            Issue.record("an absurd size was believed")
            return
        }
        #expect(reason.contains("larger than any real file"))

        let future = Array(paxRecord("mtime", "99999999999999").utf8)
        try writeFile(dir.file("future.tar"), tarHeader(name: "PaxHeader/x", type: "x", size: future.count) + tarBody(future)
                      + tarHeader(name: "a.xml", size: 1) + tarBody(Array("x".utf8)))
        let entry = try #require(try tarContents(dir.file("future.tar")).first?.entry)
        #expect(entry.mtime == 99_999_999_999_999)
        // Turned into nanoseconds it saturates instead of overflowing.
        #expect(epochNanoseconds(seconds: entry.mtime) == 9_000_000_000 * 1_000_000_000)
        #expect(epochNanoseconds(seconds: 1_700_000_000, nanoseconds: 5) == 1_700_000_000_000_000_005)
    }

    @Test func emptyArchive() throws {
        let dir = try TempDir()
        try writeFile(dir.file("empty.tar"), [UInt8](repeating: 0, count: 10240))
        #expect(try tarContents(dir.file("empty.tar")).isEmpty)
        try writeFile(dir.file("nothing.tar"), [])
        #expect(try tarContents(dir.file("nothing.tar")).isEmpty)
    }

    @Test func safeArchivePaths() {
        #expect(isSafeArchivePath("run/artifacts/junit.xml"))
        #expect(isSafeArchivePath("."))
        #expect(isSafeArchivePath("a/..b/c"))
        #expect(!isSafeArchivePath("../x"))
        #expect(!isSafeArchivePath("/etc/passwd"))
        #expect(!isSafeArchivePath("a/../../b"))
        #expect(!isSafeArchivePath("a/.."))
        #expect(!isSafeArchivePath("a\u{0}b"))
        #expect(!isSafeArchivePath(""))
    }
}
