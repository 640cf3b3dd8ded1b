/// Why a configuration file could not be used. Its description is one line, ready to print.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read at all (missing, a folder, not UTF-8...).
    case unreadable(file: String, reason: String)
    /// The file was read but says something wrong: `line` (from 1; 0 when unknown) and `key`
    /// (the dotted path of the setting, e.g. `variants[2].regex`; "" for YAML syntax errors)
    /// locate it; `message` is the complete sentence, which usually names the key itself.
    case invalid(file: String, line: Int, key: String, message: String)

    /// `cisignal.yaml:12: variants[2].regex: invalid regular expression '(': expected ')'`.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the configuration: \(reason)"
        case let .invalid(file, line, _, message):
            return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        }
    }

    /// The line the problem is on (0 when unknown or when the file was unreadable).
    public var line: Int {
        if case let .invalid(_, line, _, _) = self { return line }
        return 0
    }

    /// The dotted path of the setting at fault ("" when the file was unreadable or not YAML).
    public var key: String {
        if case let .invalid(_, _, key, _) = self { return key }
        return ""
    }
}
