import Yams

/// Reads typed values out of composed YAML nodes, turning every mistake into one
/// `ConfigurationError` that names the file, the line and the key.
struct NodeReader {
    /// The file name used in messages.
    let file: String

    /// An error at `node`'s line.
    func error(_ node: Node?, _ key: String, _ message: String) -> ConfigurationError {
        .invalid(file: file, line: node?.mark?.line ?? 0, key: key, message: message)
    }

    /// True for `~`, `null` and an empty value: a key written with nothing after it.
    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What a node is, for "must be X, not Y" messages.
    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar: return isNull(node) ? "empty" : "'\(node.scalar?.string ?? "")'"
        }
    }

    /// The entries of a mapping, in file order; any key outside `allowed` is an error that
    /// suggests the nearest allowed key. A null value reads as an empty mapping.
    func entries(_ node: Node, _ key: String, allowed: [String]?) throws(ConfigurationError) -> [(name: String, keyNode: Node, value: Node)] {
        if isNull(node) { return [] }
        guard case let .mapping(mapping) = node else {
            throw error(node, key, "\(key.isEmpty ? "the file" : key) must be a mapping of keys to values, not \(kind(node))")
        }
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode else {
                throw error(keyNode, key, "\(key.isEmpty ? "" : key + ": ")keys must be plain words, not \(kind(keyNode))")
            }
            let name = scalar.string
            if let allowed, !allowed.contains(name) {
                let path = join(key, name)
                var message = "unknown key '\(path)'"
                if let near = Suggestion.nearest(to: name, among: allowed) { message += " (did you mean '\(join(key, near))'?)" }
                throw error(keyNode, path, message)
            }
            result.append((name, keyNode, value))
        }
        return result
    }

    /// A scalar as text; empty and non-scalar values are errors.
    func string(_ node: Node, _ key: String, what: String = "a string") throws(ConfigurationError) -> String {
        guard case let .scalar(scalar) = node, !isNull(node) else {
            throw error(node, key, "\(key) must be \(what), not \(kind(node))")
        }
        return scalar.string
    }

    /// A scalar as text that is not empty.
    func nonEmptyString(_ node: Node, _ key: String, what: String) throws(ConfigurationError) -> String {
        let text = try string(node, key, what: what)
        if text.isEmpty { throw error(node, key, "\(key) must be \(what), not empty") }
        return text
    }

    /// A whole number within `range`.
    func int(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard case let .scalar(scalar) = node, let value = Int(scalar.string), range.contains(value) else {
            throw error(node, key, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The items of a list, each with its key path (`key[i]`). A null value reads as an empty list.
    func items(_ node: Node, _ key: String, of what: String) throws(ConfigurationError) -> [(key: String, node: Node)] {
        if isNull(node) { return [] }
        guard case let .sequence(sequence) = node else {
            throw error(node, key, "\(key) must be a list of \(what), not \(kind(node))")
        }
        return sequence.enumerated().map { ("\(key)[\($0.offset)]", $0.element) }
    }

    /// A list of non-empty strings.
    func strings(_ node: Node, _ key: String, of what: String) throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for (itemKey, item) in try items(node, key, of: what) {
            result.append(try nonEmptyString(item, itemKey, what: "one of \(what)"))
        }
        return result
    }

    /// A regular expression, compiled.
    func pattern(_ node: Node, _ key: String) throws(ConfigurationError) -> Pattern {
        let text = try nonEmptyString(node, key, what: "a regular expression")
        do {
            return try Pattern(text)
        } catch {
            throw self.error(node, key, "\(key): \(error.description)")
        }
    }

    /// A list of regular expressions, compiled.
    func patterns(_ node: Node, _ key: String) throws(ConfigurationError) -> [Pattern] {
        var result: [Pattern] = []
        for (itemKey, item) in try items(node, key, of: "regular expressions") {
            result.append(try pattern(item, itemKey))
        }
        return result
    }

    /// A mapping of strings to strings, in file order; values may be "".
    func stringPairs(_ node: Node, _ key: String) throws(ConfigurationError) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        for (name, _, value) in try entries(node, key, allowed: nil) {
            let path = join(key, name)
            if case .scalar = value, isNull(value) {
                result.append((name, ""))
            } else {
                result.append((name, try string(value, path)))
            }
        }
        return result
    }

    /// `parent.child`, or `child` at the top level.
    func join(_ parent: String, _ child: String) -> String { parent.isEmpty ? child : parent + "." + child }
}
