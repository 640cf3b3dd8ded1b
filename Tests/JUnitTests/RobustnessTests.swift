// Bad input, hostile input and safety limits: the reader fails fast and clearly, and never
// loads external entities or holds large bodies in memory.
import Foundation
import Testing
@testable import JUnit

@Suite struct RobustnessTests {
    static let good = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites><testsuite name="s"><testcase name="a"/><testcase name="b"><failure message="m">t</failure></testcase></testsuite></testsuites>
        """

    @Test func truncatedDocumentIsMalformed() throws {
        let bytes = Array(Self.good.utf8)
        for cut in [bytes.count - 1, bytes.count - 14, bytes.count / 2, 60] {
            let error = junitError { () throws(JUnitError) in try readJUnit(Array(bytes[..<cut])) }
            #expect(error?.kind == "malformed-xml", "cut at \(cut): \(String(describing: error))")
            #expect(error?.description.contains("the file is truncated") == true, "cut at \(cut): \(String(describing: error))")
        }
    }

    @Test func invalidUTF8IsMalformed() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            let inName = Array("<testsuite><testcase name='a".utf8) + bad + Array("b'/></testsuite>".utf8)
            let inText = Array("<testsuite><testcase name='a'><system-out>x".utf8) + bad + Array("y</system-out></testcase></testsuite>".utf8)
            for doc in [inName, inText] {
                let error = junitError { () throws(JUnitError) in try readJUnit(doc) }
                guard case .malformed(let line, let reason) = error else {
                    Issue.record("\(bad): expected malformed, got \(String(describing: error))")
                    continue
                }
                #expect(line == 1)
                #expect(!reason.isEmpty && !reason.contains("\n"))
            }
        }
    }

    @Test func bytesTheDeclaredEncodingCannotDecodeAreMalformed() {
        // Found by fuzzing: libxml2 halted without marking the document bad (it looked empty) and
        // printed "encoder error" on stderr. Fuzz/regressions/junit/utf7-undecodable.xml.
        let docs: [[UInt8]] = [
            Array("<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n".utf8) + [0xAD, 0x74],
            Array("<?xml version=\"1.0\" encoding=\"UTF-7\"?><testsuite><testcase name=\"a".utf8) + [0xAD, 0x74] + Array("\"/></testsuite>".utf8),
        ]
        for (index, doc) in docs.enumerated() {
            for chunk in [1, 2, 7, 40, 64, doc.count] {
                let error = junitError { () throws(JUnitError) in try parseChunked(doc, sizes: [chunk]) }
                #expect(error?.kind == "malformed-xml", "doc \(index), chunks of \(chunk): \(String(describing: error))")
                #expect(error?.description.contains("not valid UTF-7") == true, "doc \(index), chunks of \(chunk): \(String(describing: error))")
            }
        }
    }

    @Test func nulByteIsMalformed() {
        for doc in ["<testsuite><testcase name='a\u{0}b'/></testsuite>",
                    "<testsuite><testcase name='a'><system-out>x\u{0}y</system-out></testcase></testsuite>",
                    "<testsuite>\u{0}</testsuite>"] {
            let error = junitError { () throws(JUnitError) in try parse(doc) }
            #expect(error?.kind == "malformed-xml", "\(doc.debugDescription): \(String(describing: error))")
        }
    }

    @Test func notJUnitIsRejectedAtTheFirstChunk() {
        var calls = 0
        let reader = JUnitReader { _ in calls += 1 }
        let first = Array("<?xml version='1.0'?>\n<html><body><testcase name='x'/>".utf8)
        #expect(throws: JUnitError.notJUnit(rootElement: "html")) { try reader.feed(first) }
        // Later calls keep failing the same way; the caller has stopped anyway.
        #expect(throws: JUnitError.notJUnit(rootElement: "html")) { try reader.feed(Array("</body></html>".utf8)) }
        #expect(throws: JUnitError.notJUnit(rootElement: "html")) { try reader.finish() }
        #expect(calls == 0)
        #expect(JUnitError.notJUnit(rootElement: "html").kind == "not-junit")
    }

    @Test func emptyInput() {
        for doc in ["", "  \n\t", "<?xml version='1.0' encoding='UTF-8'?>\n", "<!-- nothing yet -->\n", "\u{FEFF}"] {
            #expect(throws: JUnitError.empty, "\(doc.debugDescription)") { try parse(doc) }
        }
        #expect(JUnitError.empty.kind == "empty-file")
        // Text is not an empty document but not XML either.
        let error = junitError { () throws(JUnitError) in try parse("Build failed before tests ran.\n") }
        #expect(error?.kind == "malformed-xml")
    }

    @Test func deepNestingHitsTheLimit() {
        let deep = String(repeating: "<testsuite>", count: 300) + String(repeating: "</testsuite>", count: 300)
        let error = junitError { () throws(JUnitError) in try parse(deep) }
        guard case .limitExceeded(let what) = error else {
            Issue.record("expected limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(what.contains("256"))
        #expect(error?.kind == "xml-limit")

        var options = JUnitReader.Options()
        options.maxDepth = 10
        let ten = String(repeating: "<testsuite>", count: 10) + String(repeating: "</testsuite>", count: 10)
        #expect(throws: Never.self) { try parse(ten, options: options) }
        let eleven = "<testsuite>" + ten + "</testsuite>"
        #expect(junitError { () throws(JUnitError) in try parse(eleven, options: options) }?.kind == "xml-limit")
    }

    @Test func attributeAndCaseLimits() {
        var options = JUnitReader.Options()
        options.maxAttributeBytes = 100
        let long = String(repeating: "x", count: 101)
        #expect(throws: Never.self) { try parse("<testsuite><testcase name='\(long.dropLast())'/></testsuite>", options: options) }
        #expect(junitError { () throws(JUnitError) in
            try parse("<testsuite><properties><property name='p' value='\(long)'/></properties></testsuite>", options: options)
        }?.kind == "xml-limit")

        options = JUnitReader.Options()
        options.maxCases = 3
        let cases = (0..<4).map { "<testcase name='c\($0)'/>" }.joined()
        let three = (0..<3).map { "<testcase name='c\($0)'/>" }.joined()
        #expect(throws: Never.self) { try parse("<testsuite>\(three)</testsuite>", options: options) }
        #expect(throws: JUnitError.limitExceeded("more than 3 test cases")) { try parse("<testsuite>\(cases)</testsuite>", options: options) }
    }

    @Test func unterminatedMarkupIsBounded() throws {
        var options = JUnitReader.Options()
        options.maxBufferedBytes = 4 << 20
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 65536)
        for opening in ["<testsuite><!-- ", "<testsuite><testcase name='", "<testsuite><?pi "] {
            let reader = JUnitReader(options: options) { _ in }
            var error: JUnitError?
            try reader.feed(Array(opening.utf8))
            for _ in 0..<200 where error == nil { // Up to 12.5 MiB.
                if case .failure(let e) = Result(catching: { () throws(JUnitError) in try reader.feed(filler) }) { error = e }
            }
            #expect(error?.kind == "xml-limit", "\(opening): \(String(describing: error))")
            #expect(reader.bufferedInputBytes <= (4 << 20) + 65536 * 2)
        }
    }

    @Test func billionLaughsIsNotExpanded() {
        var doc = "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            let prev = i == 1 ? "lol" : "lol\(i - 1)"
            doc += "<!ENTITY lol\(i) \"" + String(repeating: "&\(prev);", count: 10) + "\">\n"
        }
        doc += "]>\n<testsuite><testcase name='&lol9;'><failure>&lol9;</failure></testcase></testsuite>"
        let start = Date()
        let error = junitError { () throws(JUnitError) in try parse(doc) }
        #expect(error?.kind == "malformed-xml", "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let secret = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let docs = [
            // Declared in the internal subset, used in an attribute and in failure text.
            "<!DOCTYPE t [<!ENTITY x SYSTEM 'file:///etc/hostname'>]><testsuite><testcase name='&x;'/></testsuite>",
            "<!DOCTYPE t [<!ENTITY x SYSTEM 'file:///etc/hostname'>]><testsuite><testcase name='a'><failure>&x;</failure></testcase></testsuite>",
            // An external DTD subset and a parameter entity.
            "<!DOCTYPE t SYSTEM 'file:///etc/hostname'><testsuite><testcase name='a'><failure>&x;</failure></testcase></testsuite>",
            "<!DOCTYPE t [<!ENTITY % p SYSTEM 'file:///etc/hostname'> %p;]><testsuite><testcase name='a'/></testsuite>",
            "<!DOCTYPE t [<!ENTITY x SYSTEM 'http://127.0.0.1:9/x'>]><testsuite><testcase name='a'><failure>&x;</failure></testcase></testsuite>",
        ]
        for doc in docs {
            var seen: [JUnitCase] = []
            let reader = JUnitReader { seen.append($0) }
            let outcome = Result { () throws(JUnitError) in
                try reader.feed(Array(doc.utf8))
                return try reader.finish()
            }
            if !secret.isEmpty {
                for c in seen {
                    #expect(!c.name.contains(secret) && !(c.message ?? "").contains(secret), "\(doc): leaked \(c)")
                }
            }
            if case .success = outcome {
                // Tolerated only when the reference was dropped, never substituted.
                #expect(seen.allSatisfy { $0.name == "a" && ($0.message ?? "") == "" }, "\(doc): \(seen)")
            }
        }
    }

    @Test func invalidBytesLibxml2LetsThroughCDATAKeepTheMessageCap() {
        // Found by fuzzing (Fuzz/regressions/junit/overlong-utf8-in-cdata.xml): in CDATA, libxml2's
        // push parser passes overlong UTF-8 (C1 81); decoded, each byte is U+FFFD (3 bytes), and the
        // message outgrew its cap.
        var options = JUnitReader.Options()
        options.maxMessageBytes = 16
        let doc = Array("<testsuite><testcase name='t'><failure><![CDATA[ab".utf8)
            + Array(repeating: [UInt8]([0xC1, 0x81]), count: 20).flatMap { $0 } + Array("]]></failure></testcase></testsuite>".utf8)
        var delivered = 0
        for chunk in [1, 3, 16, 50, doc.count] {
            guard let cases = try? parseChunked(doc, sizes: [chunk], options: options) else { continue }
            for c in cases {
                delivered += 1
                #expect((c.message ?? "").utf8.count <= 16, "chunks of \(chunk): \(c.message ?? "")")
            }
        }
        #expect(delivered > 0, "libxml2 now rejects the document at every chunking; the test no longer reaches the cap")
    }

    @Test func hugeSystemOutIsNotRetained() throws {
        var options = JUnitReader.Options()
        options.maxMessageBytes = 1000
        var cases: [JUnitCase] = []
        let reader = JUnitReader(options: options) { cases.append($0) }
        let line = Array("2024-01-01T00:00:00Z INFO something happened in the cluster, nothing to see here <ok> &amp; on\n".utf8)
        let chunk = Array((0..<(65536 / line.count + 1)).lazy.flatMap { _ in line }.prefix(65536))
        var maxBuffered = 0
        func feed(_ s: String) throws(JUnitError) { try reader.feed(Array(s.utf8)) }
        try feed("<testsuite name='big'><testcase name='noisy'><failure message='boom'><![CDATA[")
        for _ in 0..<16 { try reader.feed(chunk) } // 1 MiB of failure text: kept only up to the cap.
        try feed("]]></failure><system-out>")
        let total = 50 << 20
        var fed = 0
        while fed < total {
            try reader.feed(chunk.map { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") ? UInt8(ascii: "_") : $0 })
            fed += chunk.count
            maxBuffered = max(maxBuffered, reader.bufferedInputBytes)
        }
        try feed("</system-out><system-err>")
        for _ in 0..<16 { try reader.feed(chunk.map { $0 == UInt8(ascii: "<") ? UInt8(ascii: "_") : $0 }) }
        try feed("</system-err></testcase><testcase name='after'/></testsuite>")
        let summary = try reader.finish()
        #expect(summary.cases == 2)
        #expect(cases.map(\.name) == ["noisy", "after"])
        let message = try #require(cases[0].message)
        #expect(message.utf8.count <= 1000)
        #expect(message.hasPrefix("boom\n\n2024-01-01T00:00:00Z INFO"))
        // libxml2's input buffer holds a few chunks at most, never the 50 MB body.
        #expect(maxBuffered < 1 << 20, "libxml2 buffered \(maxBuffered) bytes")
        print("hugeSystemOut: 52 MiB fed in 64 KiB chunks, libxml2 input buffer peaked at \(maxBuffered) bytes")
    }

    @Test func errorsAreOneLineAndSticky() {
        let reader = JUnitReader { _ in }
        let first = Result { () throws(JUnitError) in try reader.feed(Array("<testsuite><testcase name='a' name='b'/>".utf8)) }
        guard case .failure(let error) = first, case .malformed(let line, let reason) = error else {
            Issue.record("expected malformed, got \(first)")
            return
        }
        #expect(line == 1 && reason.contains("name"))
        #expect(error.description.hasPrefix("malformed XML at line 1: "))
        #expect(throws: error) { try reader.feed(Array("</testsuite>".utf8)) }
    }
}
