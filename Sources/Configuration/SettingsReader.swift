import Foundation
import Yams

extension Settings {
    /// Reads a configuration file; a key the file does not set keeps its default.
    public static func load(path: String) throws(ConfigurationError) -> Settings {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "it is a folder, not a file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: path, reason: "not UTF-8 text")
        }
        return try parse(yaml: text, file: path)
    }

    /// The settings of `configPath` when given; otherwise of `./cisignal.yaml` when it exists,
    /// else the defaults. Also returns the file read (nil when none was).
    public static func load(configPath: String?, defaultPath: String = "cisignal.yaml") throws(ConfigurationError) -> (settings: Settings, file: String?) {
        if let configPath { return (try load(path: configPath), configPath) }
        guard FileManager.default.fileExists(atPath: defaultPath) else { return (defaults, nil) }
        return (try load(path: defaultPath), defaultPath)
    }

    /// Reads configuration text; `file` names it in messages. An empty document is the defaults.
    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> Settings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw .invalid(file: file, line: 0, key: "", message: "not valid YAML: \(error)")
        }
        guard let root else { return defaults }
        return try SettingsReader(reader: NodeReader(file: file)).read(root)
    }

    /// One line for a YAML syntax error, at the line the parser stopped.
    private static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        func invalid(_ line: Int, _ problem: String) -> ConfigurationError {
            .invalid(file: file, line: line, key: "", message: "YAML syntax error: \(problem)")
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text), line \($0.mark.line))" } ?? ""
            return invalid(mark.line, "\(problem)\(during)")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } } ?? 0
            return invalid(line, problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return invalid(context.mark.line, "duplicate key \(names) in one mapping")
        default:
            return invalid(0, "\(error)".trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// The schema of cisignal.yaml: which keys exist and what each must hold.
private struct SettingsReader {
    let reader: NodeReader

    func read(_ root: Node) throws(ConfigurationError) -> Settings {
        var settings = Settings.defaults
        let keys = ["roots", "database", "reports", "variants", "variant_defaults", "components",
                    "windows", "jobs", "tests", "payload"]
        for (name, _, value) in try reader.entries(root, "", allowed: keys) {
            switch name {
            case "roots": settings.roots = try reader.strings(value, name, of: "paths")
            case "database": settings.database = try reader.nonEmptyString(value, name, what: "a file path")
            case "reports": settings.reports = try reader.nonEmptyString(value, name, what: "a folder path")
            case "variants": settings.variantRules.rules = try variantRules(value)
            case "variant_defaults": settings.variantRules.defaults = try reader.stringPairs(value, name)
            case "components": try components(value, into: &settings.componentRules)
            case "windows": try windows(value, into: &settings.windowLengths)
            case "jobs":
                for (key, _, list) in try reader.entries(value, name, allowed: ["include", "exclude"]) {
                    let patterns = try reader.patterns(list, "jobs." + key)
                    if key == "include" { settings.jobFilter.include = patterns } else { settings.jobFilter.exclude = patterns }
                }
            case "tests":
                for (key, _, list) in try reader.entries(value, name, allowed: ["ignore", "infrastructure"]) {
                    let patterns = try reader.patterns(list, "tests." + key)
                    if key == "ignore" { settings.testFilter.ignore = patterns } else { settings.testFilter.infrastructure = patterns }
                }
            case "payload":
                for (_, _, list) in try reader.entries(value, name, allowed: ["sources"]) {
                    settings.payloadSources = try payloadSources(list)
                }
            default: break
            }
        }
        return settings
    }

    private func variantRules(_ node: Node) throws(ConfigurationError) -> [VariantRule] {
        var rules: [VariantRule] = []
        for (key, item) in try reader.items(node, "variants", of: "rules") {
            var variant: String?
            var regex: (Node, Pattern)?
            var tokens: (Node, [String: String])?
            var value: (Node, String)?
            for (name, _, field) in try reader.entries(item, key, allowed: ["variant", "regex", "tokens", "value"]) {
                let path = "\(key).\(name)"
                switch name {
                case "variant": variant = try reader.nonEmptyString(field, path, what: "a variant key such as platform")
                case "regex": regex = (field, try reader.pattern(field, path))
                case "tokens":
                    var map: [String: String] = [:]
                    for (token, tokenValue) in try reader.stringPairs(field, path) { map[token] = tokenValue }
                    if map.isEmpty { throw reader.error(field, path, "\(path) must map at least one token to a value") }
                    tokens = (field, map)
                default: value = (field, try reader.string(field, path))
                }
            }
            guard let variant else { throw reader.error(item, key, "\(key) needs a 'variant' key naming the variant it sets") }
            switch (regex, tokens) {
            case let ((node, pattern)?, nil):
                if value == nil, pattern.captureGroups == 0 {
                    throw reader.error(node, key + ".regex", "\(key).regex has no capture group for the value; add one or give a 'value'")
                }
                rules.append(VariantRule(variant: variant, matcher: .regex(pattern, value: value?.1)))
            case let (nil, (_, map)?):
                if let (node, _) = value {
                    throw reader.error(node, key + ".value", "\(key).value applies only to regex rules; tokens carry their own values")
                }
                rules.append(VariantRule(variant: variant, matcher: .tokens(map)))
            case (nil, nil):
                throw reader.error(item, key, "\(key) needs either 'regex' or 'tokens'")
            case let (_?, (node, _)?):
                throw reader.error(node, key, "\(key) has both 'regex' and 'tokens'; a rule has one of them")
            }
        }
        return rules
    }

    private func components(_ node: Node, into rules: inout ComponentRules) throws(ConfigurationError) {
        for (name, _, value) in try reader.entries(node, "components", allowed: ["rules", "owners", "unowned"]) {
            let path = "components." + name
            switch name {
            case "rules": rules.rules = try componentRules(value, path)
            case "owners":
                rules.owners = [:]
                for (component, owner) in try reader.stringPairs(value, path) { rules.owners[component] = owner }
            default: rules.unowned = try reader.nonEmptyString(value, path, what: "a component name")
            }
        }
    }

    private func componentRules(_ node: Node, _ path: String) throws(ConfigurationError) -> [ComponentRule] {
        var rules: [ComponentRule] = []
        let fields = ComponentRule.Field.allCases.map(\.rawValue)
        for (key, item) in try reader.items(node, path, of: "rules") {
            var matchers: [(ComponentRule.Field, Pattern)] = []
            var component: String?
            var owner: String?
            for (name, _, value) in try reader.entries(item, key, allowed: fields + ["component", "owner"]) {
                let fieldPath = "\(key).\(name)"
                if let field = ComponentRule.Field(rawValue: name) {
                    matchers.append((field, try reader.pattern(value, fieldPath)))
                } else if name == "component" {
                    component = try reader.nonEmptyString(value, fieldPath, what: "a component name")
                } else {
                    owner = try reader.string(value, fieldPath, what: "a team name")
                }
            }
            guard matchers.count == 1 else {
                throw reader.error(item, key, "\(key) needs exactly one of 'test', 'classname' or 'suite' (a regex)")
            }
            guard let component else { throw reader.error(item, key, "\(key) needs a 'component'") }
            rules.append(ComponentRule(field: matchers[0].0, pattern: matchers[0].1, component: component, owner: owner))
        }
        return rules
    }

    private func windows(_ node: Node, into lengths: inout WindowLengths) throws(ConfigurationError) {
        for (name, _, value) in try reader.entries(node, "windows", allowed: ["current_days", "previous_days"]) {
            let days = try reader.int(value, "windows." + name, in: WindowLengths.allowedDays)
            if name == "current_days" { lengths.currentDays = days } else { lengths.previousDays = days }
        }
    }

    private func payloadSources(_ node: Node) throws(ConfigurationError) -> [String] {
        var sources: [String] = []
        for (key, item) in try reader.items(node, "payload.sources", of: "sources") {
            let source = try reader.nonEmptyString(item, key, what: "a source")
            let parts = source.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, ["annotation", "label", "started", "finished"].contains(parts[0]) else {
                throw reader.error(item, key, "\(key) must be annotation:KEY, label:KEY, started:KEY or finished:KEY, not '\(source)'")
            }
            sources.append(source)
        }
        return sources
    }
}
