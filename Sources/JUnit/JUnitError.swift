/// Why a JUnit file could not be read to its end.
public enum JUnitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The root element is neither `<testsuites>` nor `<testsuite>`. Callers usually skip such a
    /// file rather than report it; the reader stops at the root element.
    case notJUnit(rootElement: String)
    /// No bytes, or no root element at all.
    case empty
    /// libxml2 found the document not well-formed: truncated, invalid UTF-8, undeclared or
    /// forbidden entity, NUL byte... `reason` is libxml2's message on one line.
    case malformed(line: Int, reason: String)
    /// A safety limit of ``JUnitReader/Options`` was hit (nesting depth, attribute size, case count).
    case limitExceeded(String)

    /// A short stable tag for counting and reporting: `not-junit`, `empty-file`, `malformed-xml`, `xml-limit`.
    public var kind: String {
        switch self {
        case .notJUnit: "not-junit"
        case .empty: "empty-file"
        case .malformed: "malformed-xml"
        case .limitExceeded: "xml-limit"
        }
    }

    /// One line a person can act on.
    public var description: String {
        switch self {
        case .notJUnit(let root):
            "not a JUnit file: root element is <\(root)>, expected <testsuites> or <testsuite>"
        case .empty:
            "empty file: no XML root element"
        case .malformed(let line, let reason):
            "malformed XML at line \(line): \(reason)"
        case .limitExceeded(let what):
            "XML safety limit exceeded: \(what)"
        }
    }
}
