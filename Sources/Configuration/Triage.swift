import Foundation
import Yams

/// One triage entry: a regression linked to a bug, with a note and an owner.
public struct TriageEntry: Sendable, Equatable, Decodable {
    /// The test's full name.
    public var test: String
    /// The variant cell, e.g. "platform=aws network=ovn architecture=amd64"; nil matches any cell.
    public var cell: String?
    /// The bug's URL.
    public var bug: String
    public var owner: String?
    public var note: String?

    public init(test: String, cell: String? = nil, bug: String, owner: String? = nil, note: String? = nil) {
        self.test = test
        self.cell = cell
        self.bug = bug
        self.owner = owner
        self.note = note
    }
}

/// The triage file (`triage.yaml`): a list of entries, kept by people across nights. A triaged
/// regression is shown as triaged, next to its bug; it is never hidden.
public struct Triage: Sendable, Equatable {
    public var entries: [TriageEntry]

    public init(entries: [TriageEntry] = []) {
        self.entries = entries
    }

    /// The entry for a test in a cell: one naming the cell first, else one for any cell.
    public func entry(test: String, cell: String) -> TriageEntry? {
        entries.first { $0.test == test && $0.cell == cell } ?? entries.first { $0.test == test && $0.cell == nil }
    }

    /// Reads a triage file; a missing file is an empty triage only when `required` is false.
    public static func load(path: String, required: Bool) throws(ConfigurationError) -> Triage {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw .unreadable(file: path, reason: "no such file") }
            return Triage()
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: "not readable UTF-8 text")
        }
        return try parse(yaml: text, file: path)
    }

    /// Reads triage text; `file` names it in messages.
    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> Triage {
        if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return Triage() }
        do {
            return Triage(entries: try YAMLDecoder().decode([TriageEntry].self, from: yaml))
        } catch let error as YamlError {
            throw .invalid(file: file, line: 0, key: "", message: "not valid YAML: \(error)".split(separator: "\n").first.map(String.init) ?? "not valid YAML")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid(file: file, line: 0, key: Self.path(context.codingPath),
                           message: "entry \(Self.path(context.codingPath)): needs '\(key.stringValue)' (each entry: test, bug, and optionally cell, owner, note)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .invalid(file: file, line: 0, key: Self.path(context.codingPath), message: "\(Self.path(context.codingPath)): must be text")
        } catch {
            throw .invalid(file: file, line: 0, key: "", message: "must be a list of entries with test and bug")
        }
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
