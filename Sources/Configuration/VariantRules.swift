/// How a job's name maps to its variants (release, platform, network...).
///
/// For each variant key, the rules naming it are tried in order and the first that yields a
/// non-empty value wins; when none does, the key's default applies, or "" (unknown) when it has
/// none. An unknown part of a name never fails.
public struct VariantRules: Sendable, Equatable {
    /// The rules, in file order.
    public var rules: [VariantRule]
    /// The value of a key when no rule matched; a key missing here (or set to "") stays unknown.
    /// Keys are listed in order: that order is the order of `keys`.
    public var defaults: [(key: String, value: String)]

    /// Rules and defaults; keys named by rules but absent from `defaults` come after its keys.
    public init(rules: [VariantRule], defaults: [(key: String, value: String)]) {
        self.rules = rules
        self.defaults = defaults
    }

    /// Every variant key, in order: the keys of `defaults`, then new keys in rule order.
    public var keys: [String] {
        var keys: [String] = []
        for key in defaults.map(\.key) + rules.map(\.variant) where !keys.contains(key) {
            keys.append(key)
        }
        return keys
    }

    /// The variants of a job: every key of `keys`, with "" where the name says nothing and the key
    /// has no default.
    public func variants(ofJob name: String) -> [String: String] {
        var result: [String: String] = [:]
        for rule in rules where result[rule.variant] == nil {
            if let value = rule.value(forJob: name), !value.isEmpty { result[rule.variant] = value }
        }
        for (key, value) in defaults where result[key] == nil { result[key] = value }
        for key in keys where result[key] == nil { result[key] = "" }
        return result
    }

    public static func == (lhs: VariantRules, rhs: VariantRules) -> Bool {
        lhs.rules == rhs.rules && lhs.defaults.elementsEqual(rhs.defaults) { $0.key == $1.key && $0.value == $1.value }
    }
}

/// One rule: the variant key it sets and how the value is found in the job name.
public struct VariantRule: Sendable, Equatable {
    /// How a rule reads a job name.
    public enum Matcher: Sendable, Equatable {
        /// Matched anywhere in the name; the value is `value` when given, else the first capture group.
        case regex(Pattern, value: String?)
        /// The name split on "-"; a key may span several tokens ("single-node"). The first
        /// position in the name where a key matches wins, the longest key at that position first.
        case tokens([String: String])
    }

    /// The variant key this rule sets, e.g. "platform".
    public var variant: String
    /// How the value is found.
    public var matcher: Matcher

    /// A rule for `variant`.
    public init(variant: String, matcher: Matcher) {
        self.variant = variant
        self.matcher = matcher
    }

    /// The value this rule finds in a job name, or nil when it does not match.
    public func value(forJob name: String) -> String? {
        switch matcher {
        case let .regex(pattern, value):
            guard let match = pattern.firstMatch(in: name) else { return nil }
            return value ?? match.group
        case let .tokens(map):
            let tokens = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            let longest = map.keys.map { $0.split(separator: "-", omittingEmptySubsequences: false).count }.max() ?? 0
            for start in tokens.indices {
                for length in stride(from: min(longest, tokens.count - start), through: 1, by: -1) {
                    if let value = map[tokens[start..<start + length].joined(separator: "-")] { return value }
                }
            }
            return nil
        }
    }
}
