import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports
import Testing

@Suite struct LineChartTests {
    /// The chart parses as XML, and has one line per series and day run, one legend entry each.
    @Test func chartIsWellFormedAndReadableWithoutColour() throws {
        let chart = LineChart(title: "Pass <rate> & \"more\"", days: ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"],
                              series: [.init(name: "job-a", values: [100, 90, nil, 80]),
                                       .init(name: "job <b>", values: [50, 60, 70, 65])])
        let svg = chart.svg()
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        // job-a is broken by the missing day: two segments, one of them a single point (no line).
        #expect(collector.count["polyline"] == 2)
        #expect(collector.texts.contains("job <b>"))
        #expect(collector.texts.contains("Pass <rate> & \"more\""))
        // Distinct dash patterns: the first series solid, the second dashed.
        #expect(svg.contains("stroke-dasharray=\"6,3\""))
        // The last value is printed beside each line.
        #expect(collector.texts.contains("80.0%") && collector.texts.contains("65.0%"))
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var count: [String: Int] = [:]
    var texts: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        count[name, default: 0] += 1
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
        text = ""
    }
}
