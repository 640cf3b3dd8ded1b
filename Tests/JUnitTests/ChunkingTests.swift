// Chunk boundaries can fall anywhere (inside a tag, an entity, a CDATA marker, a UTF-8
// character): the cases must not depend on them.
import Testing
import TestSupport
@testable import JUnit

@Suite struct ChunkingTests {
    static let document: [UInt8] = {
        var xml = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- generated -->\n<testsuites>\n"
        for s in 0..<4 {
            xml += "<testsuite name=\"suite \(s) ü &amp; 🚀\"><properties><property name=\"k\" value=\"v\"/></properties>\n"
            xml += "<testsuite name=\"inner\">\n"
            for c in 0..<25 {
                let name = "[sig-\(s)] case \(c) `quoted` &quot;x&quot; &lt;y&gt; | é中😀 &#x41;"
                xml += "<testcase name=\"\(name)\" classname=\"pkg.C\(c)\" time=\"0.\(c)\" file=\"f.go\" line=\"\(c)\">"
                switch c % 5 {
                case 0: xml += "<failure message=\"m &amp; é\">text é中😀 &amp; <![CDATA[raw <cdata> ]]> \(String(repeating: "ü", count: 3000))</failure>"
                case 1: xml += "<error>err</error><system-out>out \(String(repeating: "😀", count: 100))</system-out>"
                case 2: xml += "<skipped message=\"skipped\"/>"
                case 3: xml += "<flakyFailure message=\"f\"><stackTrace><![CDATA[at a]]>é</stackTrace><system-out>x</system-out></flakyFailure>"
                default: xml += "<system-err><![CDATA[\(String(repeating: "中", count: 500))]]></system-err>"
                }
                xml += "</testcase>\n"
            }
            xml += "</testsuite></testsuite>\n"
        }
        xml += "<testcase name=\"top-level\"/></testsuites>\n"
        return Array(xml.utf8)
    }()

    @Test func oneByteAtATime() throws {
        let whole = try readJUnit(Self.document).cases
        #expect(whole.count == 101)
        #expect(whole[0].message?.utf8.count ?? 0 <= 4096)
        #expect(try parseChunked(Self.document, sizes: [1]) == whole)
    }

    @Test func randomChunkSizes() throws {
        let whole = try readJUnit(Self.document).cases
        var rng = SplitMix(seed: 42)
        for round in 0..<20 {
            let sizes = (0..<64).map { _ in Int.random(in: 1...(round % 2 == 0 ? 16 : 5000), using: &rng) }
            #expect(try parseChunked(Self.document, sizes: sizes) == whole, "round \(round)")
        }
    }

    @Test func errorsDoNotDependOnChunking() {
        var bytes = Self.document
        bytes[bytes.count / 2] = 0xFF
        let whole = junitError { () throws(JUnitError) in try readJUnit(bytes) }
        let bytewise = junitError { () throws(JUnitError) in try parseChunked(bytes, sizes: [1]) }
        #expect(whole?.kind == "malformed-xml")
        #expect(bytewise?.kind == "malformed-xml")
    }
}
