import Configuration
import Foundation
import Store

/// Reads a job run's identity and facts from its `started.json`, `finished.json` and `prowjob.json`,
/// with what the run's place in the tree says as the fallback.
///
/// Nothing here drops a run: a missing file or field leaves the field unknown, and a malformed file
/// or a field of the wrong type adds a problem.
public struct RunMetadata: Sendable {
    /// Where the payload tag is looked for, in order: `annotation:KEY`, `label:KEY`,
    /// `started:KEY` / `finished:KEY` (a key of the file's `metadata` object, or top level). The
    /// default list is the configuration's (`payload.sources` in cisignal.yaml).
    public static var defaultPayloadSources: [String] { Settings.defaults.payloadSources }

    /// The facts read; job and build id always have a value.
    public var run: JobRun
    /// Problems with the metadata files themselves.
    public var problems: [Problem]

    /// Reads the metadata of the run at `runPath` from the files' bytes (nil when a file is absent).
    ///
    /// - Parameters:
    ///   - runPath: the run directory, or the archive with its suffix removed, as found in the tree:
    ///     `.../logs/JOB/BUILD`, `.../pr-logs/pull/ORG_REPO/PR/JOB/BUILD` or `.../pr-logs/pull/batch/JOB/BUILD`.
    ///   - paths: the names to use in problems for each file.
    public init(runPath: String, started: [UInt8]?, finished: [UInt8]?, prowjob: [UInt8]?,
                paths: (started: String, finished: String, prowjob: String),
                payloadSources: [String] = defaultPayloadSources) {
        var problems: [Problem] = []
        let hints = PathHints(runPath: runPath)
        let started = JSONFile(bytes: started, path: paths.started, problems: &problems)
        let finished = JSONFile(bytes: finished, path: paths.finished, problems: &problems)
        let prowjob = JSONFile(bytes: prowjob, path: paths.prowjob, problems: &problems)

        let spec = prowjob.object("spec")
        let status = prowjob.object("status")
        let labels = prowjob.object("metadata")?.stringMap("labels", file: prowjob, problems: &problems) ?? [:]
        let annotations = prowjob.object("metadata")?.stringMap("annotations", file: prowjob, problems: &problems) ?? [:]

        let job = spec?.string("job", file: prowjob, problems: &problems)
            ?? labels["prow.k8s.io/job"] ?? hints.job ?? "unknown-job"
        let buildID = status?.string("build_id", file: prowjob, problems: &problems)
            ?? labels["prow.k8s.io/build-id"] ?? hints.buildID
        var run = JobRun(job: job, buildID: buildID)

        let typeText = spec?.string("type", file: prowjob, problems: &problems) ?? labels["prow.k8s.io/type"]
        run.runType = typeText.flatMap(RunType.init(rawValue:)) ?? hints.runType

        run.startedAt = started.root?.seconds("timestamp", file: started, problems: &problems)
            ?? status?.date("startTime", file: prowjob, problems: &problems)
        run.finishedAt = finished.root?.seconds("timestamp", file: finished, problems: &problems)
            ?? status?.date("completionTime", file: prowjob, problems: &problems)

        if let result = finished.root?.string("result", file: finished, problems: &problems) {
            run.result = Self.runResult(result)
        }
        if run.result == nil, let passed = finished.root?.bool("passed", file: finished, problems: &problems) {
            run.result = passed ? .success : .failure
        }
        if run.result == nil, let state = status?.string("state", file: prowjob, problems: &problems) {
            run.result = Self.runResult(state)
        }

        for source in payloadSources where run.payloadTag == nil {
            let parts = source.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "annotation": run.payloadTag = annotations[parts[1]]
            case "label": run.payloadTag = labels[parts[1]]
            case "started": run.payloadTag = started.metadataValue(parts[1])
            case "finished": run.payloadTag = finished.metadataValue(parts[1])
            default: continue
            }
            if run.payloadTag?.isEmpty == true { run.payloadTag = nil }
        }

        let refs = spec?.object("refs")
        if case let .array(pulls)? = refs?.members["pulls"], case let .object(first)? = pulls.first {
            run.prNumber = JSONObject(members: first).integer("number", file: prowjob, problems: &problems)
        }
        if run.prNumber == nil, let pull = started.root?.string("pull", file: started, problems: &problems) {
            run.prNumber = Int64(pull)
        }
        if run.prNumber == nil { run.prNumber = hints.prNumber }
        run.refsJSON = (refs ?? started.root?.object("repos")).map { JSONValue.object($0.members).canonicalText }
        run.revision = finished.root?.string("revision", file: finished, problems: &problems)
            ?? started.root?.string("repo-version", file: started, problems: &problems)
            ?? refs?.string("base_sha", file: prowjob, problems: &problems)
        run.url = status?.string("url", file: prowjob, problems: &problems)
        if run.runType == nil, run.prNumber != nil { run.runType = .presubmit }
        // A batch tests several pulls at once: no single PR number describes it.
        if run.runType == .batch { run.prNumber = nil }

        self.run = run
        self.problems = problems
    }

    /// Maps SUCCESS / success / FAILURE / failure / ABORTED / aborted / ERROR / error to a result.
    static func runResult(_ text: String) -> RunResult? {
        switch text.lowercased() {
        case "success", "succeeded", "passed": return .success
        case "failure", "failed": return .failure
        case "aborted": return .aborted
        case "error": return .error
        default: return nil
        }
    }
}

/// What a run's place in a Prow tree says about it.
struct PathHints {
    var job: String?
    var buildID: String
    var runType: RunType?
    var prNumber: Int64?

    init(runPath: String) {
        let parts = runPath.split(separator: "/").map(String.init)
        buildID = parts.last ?? runPath
        job = parts.count >= 2 ? parts[parts.count - 2] : nil
        if let pull = parts.lastIndex(of: "pull"), pull > 0, parts[pull - 1] == "pr-logs" {
            let rest = parts[(pull + 1)...]
            if rest.first == "batch" {
                runType = .batch
            } else if rest.count >= 4 {
                runType = .presubmit
                prNumber = Int64(rest[rest.startIndex + 1])
            }
        } else if parts.contains("logs") {
            let jobName = job ?? ""
            runType = jobName.hasPrefix("periodic-") ? .periodic
                : (jobName.hasPrefix("branch-") || jobName.contains("postsubmit")) ? .postsubmit : nil
        }
    }
}

/// A parsed metadata file; `root` is nil when the file is absent or not a JSON object.
struct JSONFile {
    let path: String
    let root: JSONObject?

    init(bytes: [UInt8]?, path: String, problems: inout [Problem]) {
        self.path = path
        guard let bytes else {
            root = nil
            return
        }
        switch JSONValue.parse(bytes) {
        case let .object(members)?:
            root = JSONObject(members: members)
        case nil:
            problems.append(Problem(path: path, kind: "malformed-json", reason: "not valid JSON; its fields are unknown"))
            root = nil
        case _?:
            problems.append(Problem(path: path, kind: "malformed-json", reason: "not a JSON object; its fields are unknown"))
            root = nil
        }
    }

    func object(_ key: String) -> JSONObject? { root?.object(key) }

    /// A string under `metadata.KEY`, or at the top level.
    func metadataValue(_ key: String) -> String? {
        if case let .string(text)? = root?.object("metadata")?.members[key] { return text }
        if case let .string(text)? = root?.members[key] { return text }
        return nil
    }
}

/// A JSON object with typed accessors that report a wrong type as a problem and treat the field as
/// unknown, instead of failing.
struct JSONObject {
    let members: [String: JSONValue]

    func object(_ key: String) -> JSONObject? {
        if case let .object(members)? = members[key] { return JSONObject(members: members) }
        return nil
    }

    private func present(_ key: String) -> JSONValue? {
        guard let item = members[key], item != .null else { return nil }
        return item
    }

    private func wrongType(_ key: String, _ expected: String, _ file: JSONFile, _ problems: inout [Problem]) {
        problems.append(Problem(path: file.path, kind: "metadata-type",
                                reason: "field '\(key)' is not \(expected); it is treated as unknown"))
    }

    func string(_ key: String, file: JSONFile, problems: inout [Problem]) -> String? {
        switch present(key) {
        case nil: return nil
        case let .string(text)?: return text.isEmpty ? nil : text
        case let .number(number)? where number.rounded() == number && abs(number) < 1e15: return String(Int64(number))
        default:
            wrongType(key, "a string", file, &problems)
            return nil
        }
    }

    func bool(_ key: String, file: JSONFile, problems: inout [Problem]) -> Bool? {
        switch present(key) {
        case nil: return nil
        case let .bool(flag)?: return flag
        default:
            wrongType(key, "true or false", file, &problems)
            return nil
        }
    }

    func integer(_ key: String, file: JSONFile, problems: inout [Problem]) -> Int64? {
        switch present(key) {
        case nil: return nil
        case let .number(number)? where number.rounded() == number && abs(number) < 1e15: return Int64(number)
        case let .string(text)?:
            if let parsed = Int64(text.trimmingCharacters(in: .whitespaces)) { return parsed }
        default: break
        }
        wrongType(key, "a whole number", file, &problems)
        return nil
    }

    /// Unix seconds; accepts numbers and numeric strings.
    func seconds(_ key: String, file: JSONFile, problems: inout [Problem]) -> Int64? {
        switch present(key) {
        case nil: return nil
        case let .number(number)? where number.isFinite && abs(number) < 1e12: return Int64(number.rounded(.down))
        case let .string(text)?:
            if let parsed = Double(text), parsed.isFinite, abs(parsed) < 1e12 { return Int64(parsed.rounded(.down)) }
        default: break
        }
        wrongType(key, "a time in Unix seconds", file, &problems)
        return nil
    }

    /// An RFC 3339 time (with or without fractional seconds), as Unix seconds.
    func date(_ key: String, file: JSONFile, problems: inout [Problem]) -> Int64? {
        guard let item = present(key) else { return nil }
        if case let .string(text) = item, let date = parseRFC3339(text) {
            return Int64(date.timeIntervalSince1970.rounded(.down))
        }
        wrongType(key, "an RFC 3339 time", file, &problems)
        return nil
    }

    /// An object of strings (labels, annotations); values of other types are reported and left out.
    func stringMap(_ key: String, file: JSONFile, problems: inout [Problem]) -> [String: String]? {
        guard let item = present(key) else { return nil }
        guard case let .object(object) = item else {
            wrongType(key, "an object", file, &problems)
            return nil
        }
        var map: [String: String] = [:]
        for (name, value) in object {
            if case let .string(text) = value { map[name] = text } else { wrongType("\(key).\(name)", "a string", file, &problems) }
        }
        return map
    }
}

func parseRFC3339(_ text: String) -> Date? {
    let plain = ISO8601DateFormatter()
    if let date = plain.date(from: text) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text)
}
