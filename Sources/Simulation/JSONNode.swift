/// A JSON value with ordered object keys, serialised deterministically (two-space indent).
indirect enum JSONNode {
    case object([(String, JSONNode)])
    case array([JSONNode])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    /// A string, or null.
    static func optional(_ text: String?) -> JSONNode {
        text.map(JSONNode.string) ?? .null
    }

    /// The text, ending in a newline.
    var text: String {
        let buffer = ByteBuffer(capacity: 1 << 16)
        write(into: buffer, indent: 0)
        buffer.append("\n")
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    private func write(into buffer: ByteBuffer, indent: Int) {
        func newline(_ level: Int) {
            buffer.append("\n")
            for _ in 0..<level { buffer.append("  ") }
        }
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return buffer.append("{}") }
            buffer.append("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { buffer.append(",") }
                newline(indent + 1)
                buffer.appendJSONString(key)
                buffer.append(": ")
                value.write(into: buffer, indent: indent + 1)
            }
            newline(indent)
            buffer.append("}")
        case .array(let items):
            guard !items.isEmpty else { return buffer.append("[]") }
            buffer.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.append(",") }
                newline(indent + 1)
                item.write(into: buffer, indent: indent + 1)
            }
            newline(indent)
            buffer.append("]")
        case .string(let text): buffer.appendJSONString(text)
        case .integer(let value): buffer.append(string: String(value))
        case .number(let value):
            let rounded = (value * 1_000_000).rounded() / 1_000_000
            buffer.append(string: rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded))
        case .bool(let flag): buffer.append(flag ? "true" : "false")
        case .null: buffer.append("null")
        }
    }
}
