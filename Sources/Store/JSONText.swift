import Foundation

/// JSON text written by hand: the database's JSON columns (a run's refs) and the JSON that
/// commands print are built from these pieces, so both quote strings the same way.
public enum JSONText {
    /// A JSON string literal with RFC 8259 escapes: `"`, `\`, and control characters.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
