import Foundation
import Store
import TestSupport
import Testing

/// The hostile-input matrix through `cisignal ingest`: each bad file is one recorded problem line
/// naming it, nothing outside the tree is read (a secret beside it never reaches the database),
/// nothing is written outside the database, and the good runs and files still load.
@Suite struct HostileInputTests {
    typealias Tree = ProwTree
    static let secret = "SECRET-7f3a9c-never-loaded"

    /// A ustar header block for `name` (≤ 100 bytes), with a correct checksum.
    func ustarHeader(_ name: String, type: Character = "0", size: Int64, link: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(String(size, radix: 8).suffix(11)).leftPadded(to: 11), at: 124)
        put("14000000000", at: 136)
        put("        ", at: 148)
        block[156] = type.asciiValue!
        put(link, at: 157)
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(String(sum, radix: 8)).leftPadded(to: 6) + "\0 ", at: 148)
        return block
    }

    func tarEntry(_ name: String, _ text: String) -> [UInt8] {
        let body = Array(text.utf8)
        return ustarHeader(name, size: Int64(body.count)) + body + [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
    }

    @Test func eachHostileFileIsOneProblemNothingLeaksAndTheRestLoads() throws {
        let tree = ProwTree()
        let outside = TemporaryDirectory("outside")
        let secretFile = try outside.write("secret.txt", Self.secret)
        let secretDTD = try outside.write("secret.dtd", "<!ENTITY leak \"\(Self.secret)\">")
        let run = "logs/\(Tree.job)/3001/"
        try tree.periodicRun(build: "3001", junit: ["artifacts/junit_good.xml": Tree.junit([Tree.pass("good")])])
        func put(_ name: String, _ text: String) throws { try tree.directory.write(run + "artifacts/" + name, text) }
        // Entities: billion laughs, external entities pointing at a local file and at a URL, an
        // external DTD that would define an entity, a parameter entity.
        var laughs = "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            laughs += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n"
        }
        try put("junit_laughs.xml", laughs + "]>\n<testsuite><testcase name='&lol9;'/></testsuite>")
        try put("junit_xxe_file.xml", "<!DOCTYPE t [<!ENTITY x SYSTEM 'file://\(secretFile)'>]><testsuite><testcase name='&x;'/></testsuite>")
        try put("junit_xxe_url.xml", "<!DOCTYPE t [<!ENTITY x SYSTEM 'http://127.0.0.1:9/x'>]><testsuite><testcase name='u'><failure>&x;</failure></testcase></testsuite>")
        try put("junit_dtd.xml", "<!DOCTYPE testsuite SYSTEM 'file://\(secretDTD)'><testsuite><testcase name='dtd &leak;'/></testsuite>")
        try put("junit_param.xml", "<!DOCTYPE t [<!ENTITY % p SYSTEM 'file://\(secretDTD)'> %p;]><testsuite><testcase name='&leak;'/></testsuite>")
        // Encodings: UTF-16 and Latin-1 documents are fine; UTF-7 with bytes it cannot decode is not.
        let utf16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><testsuite><testcase name=\"utf16 ✓\"/></testsuite>"
        try tree.directory.write(run + "artifacts/junit_utf16.xml", [0xFF, 0xFE] + utf16.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try tree.directory.write(run + "artifacts/junit_latin1.xml",
                                 Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><testsuite><testcase name=\"caf".utf8) + [0xE9] + Array("\"/></testsuite>".utf8))
        try tree.directory.write(run + "artifacts/junit_utf7.xml", Array("<?xml version=\"1.\" encoding=\"UTF-7\"?>\n".utf8) + [0xAD, 0x74])
        // Gzip: a bomb (zeros, over 1000:1), trailing garbage, a bad CRC.
        try tree.directory.write(run + "artifacts/junit_bomb.xml.gz", try gzipped(Array("<testsuite><testcase name='bomb'><system-out>".utf8) + [UInt8](repeating: 0x20, count: 48 << 20)))
        try tree.directory.write(run + "artifacts/junit_trailing.xml.gz", try gzipped(Array(Tree.junit([Tree.pass("t")]).utf8)) + Array("garbage".utf8))
        var badCRC = try gzipped(Array(Tree.junit([Tree.pass("c")]).utf8))
        badCRC[badCRC.count - 8] ^= 0x01
        try tree.directory.write(run + "artifacts/junit_crc.xml.gz", badCRC)

        // Metadata of the wrong types: the run still loads, with problems.
        try tree.periodicRun(build: "3002", junit: ["artifacts/junit.xml": Tree.junit([Tree.fail("f")])])
        try tree.directory.write("logs/\(Tree.job)/3002/started.json", "{\"timestamp\": \"yesterday\"}")
        try tree.directory.write("logs/\(Tree.job)/3002/finished.json", "{\"timestamp\": [1], \"passed\": \"yes\", \"result\": 7}")
        try tree.directory.write("logs/\(Tree.job)/3002/prowjob.json", "[\"not\", \"an\", \"object\"]")

        // A run archive with members that try to leave it, a link out, and one of a huge declared size.
        var archive = tarEntry("3003/started.json", Tree.started(1_762_480_000))
            + tarEntry("3003/finished.json", Tree.finished(1_762_483_600))
            + tarEntry("3003/prowjob.json", Tree.prowjob(job: Tree.job, build: "3003"))
            + tarEntry("3003/artifacts/junit_ok.xml", Tree.junit([Tree.pass("from the archive")]))
            + tarEntry("../../artifacts/junit_escape.xml", Tree.junit([Tree.pass("escaped")]))
            + tarEntry("/tmp/artifacts/junit_absolute.xml", Tree.junit([Tree.pass("absolute")]))
        archive += ustarHeader("3003/artifacts/junit_link.xml", type: "2", size: 0, link: secretFile)
        archive += ustarHeader("3003/artifacts/junit_huge.xml", size: (8 << 30) - 1) + Array(Tree.junit([Tree.pass("huge")]).utf8)
        try tree.directory.write("logs/\(Tree.job)/3003.tar.gz", try gzipped(archive))

        let before = try folderSnapshot(tree.root, hidden: true)
        let outsideBefore = try folderSnapshot(outside.path, hidden: true)
        let databaseFolder = TemporaryDirectory("db")
        let db = databaseFolder.file("out.sqlite")
        let result = try TestSupport.run(cisignalBinary, ["ingest", tree.root, "--db", db])
        #expect(result.status == 1, "\(result.stderr)")

        // One line per problem, each naming its file; nothing else on stderr (libxml2 included).
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.hasPrefix("cisignal: problem: \(tree.root)/logs/") }, "\(result.stderr)")
        let database = try Database(path: db, readOnly: true)
        let base = "\(tree.root)/logs/\(Tree.job)/"
        let problems = try rows(database, "SELECT DISTINCT replace(path, '\(base)', ''), kind FROM ingest_problems ORDER BY 1, 2")
        #expect(problems == [
            "3001/artifacts/junit_bomb.xml.gz | ratio-limit",
            "3001/artifacts/junit_crc.xml.gz | corrupt-gzip",
            "3001/artifacts/junit_laughs.xml | malformed-xml",
            "3001/artifacts/junit_param.xml | malformed-xml",
            "3001/artifacts/junit_trailing.xml.gz | gzip-trailing-garbage",
            "3001/artifacts/junit_utf7.xml | malformed-xml",
            "3001/artifacts/junit_xxe_file.xml | malformed-xml",
            "3001/artifacts/junit_xxe_url.xml | malformed-xml",
            "3002/finished.json | metadata-type",
            "3002/prowjob.json | malformed-json",
            "3002/started.json | metadata-type",
            "3003.tar.gz | truncated-tar",
            "3003.tar.gz!/../../artifacts/junit_escape.xml | unsafe-archive-path",
            "3003.tar.gz!//tmp/artifacts/junit_absolute.xml | unsafe-archive-path",
            "3003.tar.gz!/3003/artifacts/junit_huge.xml | size-limit",
            "3003.tar.gz!/3003/artifacts/junit_link.xml | archive-link",
        ], "\(problems)")
        // finished.json has two wrong fields: two lines.
        #expect(Int64(lines.count) == (try database.integer("SELECT count(*) FROM ingest_problems")), "\(result.stderr)")
        #expect(lines.count == problems.count + 1, "\(result.stderr)")

        // What loads: the good files, the UTF-16 and Latin-1 documents, the archive's good member,
        // and the document whose DTD was never loaded, with the entity it would define dropped.
        let loaded = try rows(database, """
            SELECT r.build_id || ' ' || t.name || '=' || x.outcome FROM test_results x
            JOIN job_runs r ON r.id = x.run_id JOIN tests t ON t.id = x.test_id ORDER BY 1
            """)
        #expect(loaded == ["3001 café=pass", "3001 dtd =pass", "3001 good=pass", "3001 utf16 ✓=pass", "3002 f=fail", "3003 from the archive=pass"], "\(loaded)")
        #expect(try rows(database, "PRAGMA integrity_check") == ["ok"])

        // Nothing outside the input was read into the database; nothing was written anywhere else.
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: db + suffix) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: db + suffix))
            #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "the secret reached \(db + suffix)")
        }
        #expect(try folderSnapshot(tree.root, hidden: true) == before)
        #expect(try folderSnapshot(outside.path, hidden: true) == outsideBefore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: databaseFolder.path).allSatisfy { $0.hasPrefix("out.sqlite") })
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
