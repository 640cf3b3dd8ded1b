import Foundation
import Store

/// A JSON document as plain values, so metadata fields of the wrong type can be reported rather
/// than fail the decoding of the whole file.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `bytes`; nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Compact JSON with sorted keys, for storing a sub-document (e.g. refs) as text.
    var canonicalText: String {
        switch self {
        case .null: return "null"
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case let .string(text): return JSONText.quoted(text)
        case let .array(items): return "[" + items.map(\.canonicalText).joined(separator: ",") + "]"
        case let .object(members):
            return "{" + members.keys.sorted().map { JSONText.quoted($0) + ":" + members[$0]!.canonicalText }.joined(separator: ",") + "}"
        }
    }
}
