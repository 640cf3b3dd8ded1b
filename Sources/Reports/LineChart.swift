import Foundation

/// A pass-rate chart: percentages (0–100) per day, one line per series, written as SVG.
///
/// Readable without colour: each series has its own dash pattern and marker shape, the legend
/// repeats them with the name, and the last value is printed at the end of each line.
public struct LineChart: Sendable, Equatable {
    /// One line of the chart.
    public struct Series: Sendable, Equatable {
        public var name: String
        /// One value per day of the chart, nil where there were no runs.
        public var values: [Double?]

        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    /// The days of the x axis, YYYY-MM-DD.
    public var days: [String]
    public var series: [Series]

    public init(title: String, days: [String], series: [Series]) {
        self.title = title
        self.days = days
        self.series = series
    }

    static let dashes = ["", "6,3", "2,3", "8,3,2,3", "1,5"]
    static let colours = ["#1f5fa8", "#b8460b", "#2e7d32", "#6a1b9a", "#5d4037"]

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let width = 640.0, plotLeft = 48.0, plotRight = 470.0, plotTop = 36.0, plotBottom = 200.0
        let legendTop = plotBottom + 36
        let height = legendTop + Double(series.count) * 18 + 8
        func x(_ index: Int) -> Double {
            days.count > 1 ? plotLeft + (plotRight - plotLeft) * Double(index) / Double(days.count - 1) : (plotLeft + plotRight) / 2
        }
        func y(_ value: Double) -> Double { plotBottom - (plotBottom - plotTop) * min(max(value, 0), 100) / 100 }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var out = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" "#
            + #"viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" font-family="sans-serif" font-size="11">"# + "\n"
        out += "<title>\(XMLText.escape(title))</title>\n"
        let description = series.map { item in
            let last = item.values.last(where: { $0 != nil }).flatMap { $0 }
            return "\(item.name): " + (last.map { number($0) + "% on the last day with runs" } ?? "no runs")
        }.joined(separator: "; ")
        out += "<desc>Pass rate per day, \(XMLText.escape(days.first ?? "")) to \(XMLText.escape(days.last ?? "")). \(XMLText.escape(description))</desc>\n"
        out += #"<rect x="0" y="0" width="\#(Int(width))" height="\#(Int(height))" fill="white"/>"# + "\n"
        out += #"<text x="\#(Int(plotLeft))" y="20" font-size="13" font-weight="bold">\#(XMLText.escape(title))</text>"# + "\n"
        // Grid and y labels.
        for level in stride(from: 0.0, through: 100.0, by: 25.0) {
            out += #"<line x1="\#(number(plotLeft))" y1="\#(number(y(level)))" x2="\#(number(plotRight))" y2="\#(number(y(level)))" stroke="gainsboro"/>"# + "\n"
            out += #"<text x="\#(number(plotLeft - 6))" y="\#(number(y(level) + 4))" text-anchor="end">\#(Int(level))%</text>"# + "\n"
        }
        // X labels: first, middle and last day.
        for index in Set([0, days.count / 2, days.count - 1]).filter({ $0 >= 0 && $0 < days.count }).sorted() {
            out += #"<text x="\#(number(x(index)))" y="\#(number(plotBottom + 16))" text-anchor="middle">\#(XMLText.escape(days[index]))</text>"# + "\n"
        }
        for (number_, item) in series.enumerated() {
            let dash = Self.dashes[number_ % Self.dashes.count], colour = Self.colours[number_ % Self.colours.count]
            let dashAttribute = dash.isEmpty ? "" : #" stroke-dasharray="\#(dash)""#
            // A line through consecutive days with runs; a day without runs breaks it.
            var segments: [[(Double, Double)]] = [[]]
            for (index, value) in item.values.enumerated() {
                if let value, value.isFinite { segments[segments.count - 1].append((x(index), y(value))) } else if !segments.last!.isEmpty { segments.append([]) }
            }
            for segment in segments where segment.count > 1 {
                let points = segment.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
                out += #"<polyline points="\#(points)" fill="none" stroke="\#(colour)" stroke-width="2"\#(dashAttribute)/>"# + "\n"
            }
            for segment in segments {
                for point in segment { out += marker(number_, at: point, colour: colour) }
            }
            if let lastIndex = item.values.lastIndex(where: { $0 != nil }), let last = item.values[lastIndex] {
                out += #"<text x="\#(number(x(lastIndex) + 8))" y="\#(number(y(last) + 4))">\#(number(last))%</text>"# + "\n"
            }
            // Legend: the line's dash, its marker and its name.
            let legendY = legendTop + Double(number_) * 18
            out += #"<line x1="\#(number(plotLeft))" y1="\#(number(legendY))" x2="\#(number(plotLeft + 30))" y2="\#(number(legendY))" stroke="\#(colour)" stroke-width="2"\#(dashAttribute)/>"# + "\n"
            out += marker(number_, at: (plotLeft + 15, legendY), colour: colour)
            out += #"<text x="\#(number(plotLeft + 38))" y="\#(number(legendY + 4))">\#(XMLText.escape(item.name))</text>"# + "\n"
        }
        return out + "</svg>\n"
    }

    /// Marker shapes by series: circle, square, triangle, diamond, cross.
    private func marker(_ index: Int, at point: (Double, Double), colour: String) -> String {
        let (x, y) = point
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        switch index % 5 {
        case 0: return #"<circle cx="\#(n(x))" cy="\#(n(y))" r="3" fill="\#(colour)"/>"# + "\n"
        case 1: return #"<rect x="\#(n(x - 3))" y="\#(n(y - 3))" width="6" height="6" fill="\#(colour)"/>"# + "\n"
        case 2: return #"<polygon points="\#(n(x)),\#(n(y - 4)) \#(n(x + 4)),\#(n(y + 3)) \#(n(x - 4)),\#(n(y + 3))" fill="\#(colour)"/>"# + "\n"
        case 3: return #"<polygon points="\#(n(x)),\#(n(y - 4)) \#(n(x + 4)),\#(n(y)) \#(n(x)),\#(n(y + 4)) \#(n(x - 4)),\#(n(y))" fill="\#(colour)"/>"# + "\n"
        default: return #"<path d="M\#(n(x - 3)),\#(n(y - 3)) L\#(n(x + 3)),\#(n(y + 3)) M\#(n(x - 3)),\#(n(y + 3)) L\#(n(x + 3)),\#(n(y - 3))" stroke="\#(colour)" stroke-width="2"/>"# + "\n"
        }
    }
}
