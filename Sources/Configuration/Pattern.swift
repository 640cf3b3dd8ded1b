import Foundation

/// A regular expression from the configuration: its text as written and the expression compiled
/// once, when the file is read. Comparing two patterns compares their text.
public struct Pattern: Sendable, Equatable, CustomStringConvertible {
    /// The compiled expression; immutable after init, and NSRegularExpression is safe to share.
    private final class Compiled: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    /// The expression as written (ICU syntax, as NSRegularExpression reads it).
    public let text: String
    private let compiled: Compiled

    /// Compiles `text`, or explains in a few words why it is not a regular expression.
    public init(_ text: String) throws(PatternError) {
        do {
            compiled = Compiled(try NSRegularExpression(pattern: text))
        } catch {
            throw PatternError(pattern: text, reason: Self.explain(text))
        }
        self.text = text
    }

    /// Compiles a pattern known to be valid (the built-in defaults); traps otherwise.
    init(known text: String) {
        do { try self.init(text) } catch { preconditionFailure(error.description) }
    }

    /// The text, as written.
    public var description: String { text }

    /// True when the expression matches anywhere in `string`.
    public func matches(_ string: String) -> Bool {
        compiled.regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }

    /// The first match in `string`: the whole match and its first capture group ("" when the
    /// expression has no group or the group took no part); nil when nothing matched.
    public func firstMatch(in string: String) -> (whole: String, group: String)? {
        guard let match = compiled.regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)),
              let whole = Range(match.range, in: string) else { return nil }
        var group = ""
        if match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: string) {
            group = String(string[range])
        }
        return (String(string[whole]), group)
    }

    /// How many capture groups the expression has.
    public var captureGroups: Int { compiled.regex.numberOfCaptureGroups }

    public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.text == rhs.text }

    /// Foundation only says "the value is invalid"; Swift's own regex parser, which reads nearly
    /// the same syntax, says what is wrong.
    private static func explain(_ text: String) -> String {
        do {
            _ = try Regex(text)
        } catch {
            return "\(error)"
        }
        return "not accepted by the ICU regular expression engine"
    }
}

/// A regular expression that does not compile.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let pattern: String
    /// Why it does not compile, in a few words.
    public let reason: String
    /// One line: `invalid regular expression '(': expected ')'`.
    public var description: String { "invalid regular expression '\(pattern)': \(reason)" }
}
