/// Text made safe for GitHub-flavoured Markdown.
public enum Markdown {
    /// `text` as literal inline text, safe in a paragraph, a list item or a table cell: the
    /// characters Markdown or HTML would act on are backslash-escaped (`|` cannot end a cell, `<`
    /// cannot open a tag, `*`, `_`, `` ` ``, `~`, `[` cannot start emphasis, code or a link, `&`
    /// cannot start an entity), and line breaks become spaces so a row stays one line. GFM's
    /// autolinks read the raw text, escapes and all, so they are broken up too: the `:` of `://`,
    /// the `.` of `www.` and every `@` are escaped (a name is text, never a link).
    public static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var lastWasBreak = false
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if character == ":" && characters[(index + 1)...].starts(with: ["/", "/"])
                || character == "." && index >= 3 && String(characters[(index - 3)..<index]).lowercased() == "www"
                || character == "@" {
                out.append("\\")
                out.append(character)
                lastWasBreak = false
                continue
            }
            if character.isNewline {
                if !lastWasBreak { out.append(" ") }
                lastWasBreak = true
                continue
            }
            lastWasBreak = false
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#", "!":
                out.append("\\")
                out.append(character)
            case "\t":
                out.append(" ")
            default:
                // Control characters (C0, DEL, C1) and the bidirectional overrides that can make a
                // name read backwards: never meaningful in a report.
                if character.unicodeScalars.contains(where: { scalar in
                    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                        || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E || scalar.value == 0x200F
                }) {
                    out.append(" ")
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }

    /// A link whose label is escaped text and whose target is percent-encoded where Markdown
    /// would end it; targets that are not http(s) URLs or relative paths are shown as text only.
    public static func link(_ label: String, to target: String) -> String {
        let lowered = target.lowercased()
        let isWeb = lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
        let isRelative = !target.contains(":") && !target.hasPrefix("/") && !target.contains("..")
        guard !target.isEmpty, isWeb || isRelative else { return text(label) }
        var encoded = ""
        for scalar in target.unicodeScalars {
            switch scalar {
            case " ", "(", ")", "<", ">", "|", "\"", "'", "`", "\\", "[", "]":
                encoded += "%" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                continue
            default:
                encoded.unicodeScalars.append(scalar)
            }
        }
        return "[\(text(label))](\(encoded))"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
