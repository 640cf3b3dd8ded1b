// A throughput measurement: prints MB/s, asserts nothing about speed. Meaningful in a release
// build: swift test -c release -Xswiftc -enable-testing --filter ThroughputTests
import CLibXML2
import Foundation
import Testing
@testable import JUnit

@Suite(.serialized) struct ThroughputTests {
    /// About 1 MB of realistic JUnit: one suite of 2,000 cases, 1% failing with multi-KB
    /// messages, 5% with some system-out, names like Kubernetes e2e tests.
    static let block: [UInt8] = {
        var xml = "<testsuite name=\"openshift-tests\" tests=\"2000\" failures=\"20\" time=\"3600.5\">\n"
        let trace = (0..<40).map { "    at k8s.io/kubernetes/test/e2e/framework.(*Framework).Run(0x\($0)abc) framework.go:\($0 * 7)\n" }.joined()
        let log = (0..<25).map { "I0101 00:00:\($0 % 60).000000 1 reflector.go:219] Starting reflector *v1.Pod &amp; friends\n" }.joined()
        for i in 0..<2000 {
            xml += "  <testcase name=\"[sig-node] Pods should be submitted and removed [Conformance] [Suite:openshift/conformance/parallel] #\(i)\" classname=\"e2e\" time=\"\(Double(i % 97) / 7)\""
            if i % 100 == 7 {
                xml += "><failure message=\"fail [k8s.io/kubernetes/test/e2e/node/pods.go:123]: Timed out after 300s &lt;pod&gt;\">\(trace)</failure>\n"
                xml += "    <system-out>\(log)</system-out></testcase>\n"
            } else if i % 20 == 3 {
                xml += "><system-out><![CDATA[\(log)]]></system-out></testcase>\n"
            } else if i % 50 == 11 {
                xml += "><skipped message=\"skipped\"/></testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        xml += "</testsuite>\n"
        return Array(xml.utf8)
    }()

    static let repeats = 150

    /// Feeds the document in 64 KiB chunks to `feed`; returns MB/s.
    static func measure(_ feed: (UnsafeRawBufferPointer) -> Void) -> (bytes: Int, mbps: Double) {
        let head = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n".utf8)
        let tail = Array("</testsuites>\n".utf8)
        let start = Date()
        var bytes = 0
        func send(_ b: [UInt8]) {
            b.withUnsafeBytes { raw in
                var o = 0
                while o < raw.count {
                    let n = min(65536, raw.count - o)
                    feed(UnsafeRawBufferPointer(rebasing: raw[o..<o + n]))
                    o += n
                }
            }
            bytes += b.count
        }
        send(head)
        for _ in 0..<repeats { send(block) }
        send(tail)
        let seconds = Date().timeIntervalSince(start)
        return (bytes, Double(bytes) / 1e6 / seconds)
    }

    @Test func readerThroughput() throws {
        var cases = 0, failed = 0
        let reader = JUnitReader { c in
            cases += 1
            if c.status == .failed { failed += 1 }
        }
        var failure: JUnitError?
        let (bytes, mbps) = Self.measure { chunk in
            if failure == nil {
                if case .failure(let error) = Result(catching: { () throws(JUnitError) in try reader.feed(chunk) }) {
                    failure = error
                }
            }
        }
        #expect(failure == nil)
        let summary = try reader.finish()
        #expect(summary.cases == 2000 * Self.repeats && cases == summary.cases && failed == 20 * Self.repeats)
        print(String(format: "JUnitReader: %.0f MB in %d cases: %.0f MB/s", Double(bytes) / 1e6, cases, mbps))
    }

    @Test func libxml2BaselineThroughput() {
        // The same input through libxml2's push parser with an empty SAX2 handler: the ceiling.
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.serror = { _, _ in }
        let ctxt = xmlCreatePushParserCtxt(&sax, nil, nil, 0, nil)
        defer { xmlFreeParserCtxt(ctxt) }
        let (bytes, mbps) = Self.measure { chunk in
            _ = xmlParseChunk(ctxt, chunk.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(chunk.count), 0)
        }
        xmlParseChunk(ctxt, nil, 0, 1)
        #expect(ctxt?.pointee.wellFormed == 1)
        print(String(format: "libxml2 SAX2 push, empty handler: %.0f MB: %.0f MB/s", Double(bytes) / 1e6, mbps))
    }
}
