/// A trend in one line of text: one block character per value, higher for larger values.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `values` scaled from 0 to `maximum` (the largest value when nil); a missing value is "·".
    /// Readable in any font and without colour: the height is the value.
    public static func render(_ values: [Double?], maximum: Double? = nil) -> String {
        let top = maximum ?? values.compactMap { $0 }.max() ?? 0
        return String(values.map { value -> Character in
            guard let value, value.isFinite else { return "·" }
            guard top > 0 else { return blocks[0] }
            let level = Int((min(max(value, 0), top) / top * Double(blocks.count - 1)).rounded())
            return blocks[level]
        })
    }
}
