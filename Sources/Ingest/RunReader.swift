import Artifacts
import Foundation
import JUnit
import Store

/// What reading one run location gave.
enum RunRead: Sendable {
    /// Loaded before from the same place, and no file changed since: nothing was read.
    case unchanged(path: String)
    /// Skipped before for `reason`, and no file changed since: nothing was read.
    case skippedAgain(path: String, reason: SkipReason)
    /// No finished.json yet: not loaded now, looked at again when its files change.
    case unfinished(path: String, fingerprint: String, snapshot: String?, problems: [Problem])
    /// Read; ready to be written.
    case loaded(RunLoad)
    /// Could not be read at all (e.g. an archive broken before its metadata); only its problems remain.
    case unreadable(path: String, fingerprint: String, problems: [Problem])
}

/// Problem kinds that may go away by themselves or with a setting: a run that met one is read
/// again by the next ingest even when none of its files changed.
let retryableProblemKinds: Set<String> = ["unreadable", "vanished", "size-limit", "ratio-limit"]

/// Reads one job run — a directory or an archive — into a `RunLoad`, with everything that went
/// wrong as problems. Used by one thread at a time; it owns its read buffers.
final class RunReader {
    private let walker = ArtifactWalker()
    private let files: JUnitFileReader
    private let known: KnownSources
    private let snapshots: SourceSnapshots?
    private let limits: DecompressionLimits
    private let payloadSources: [String]
    private let drainBuffer: UnsafeMutableRawBufferPointer
    /// The number of tests in the last run read: runs of one job look alike, so it sizes the next.
    private var expectedTests = 0

    /// - Parameter snapshots: where the snapshots of known run folders are looked up; without it,
    ///   every run folder is listed.
    init(known: KnownSources, snapshots: SourceSnapshots?, limits: DecompressionLimits, payloadSources: [String]) {
        self.known = known
        self.snapshots = snapshots
        self.limits = limits
        self.payloadSources = payloadSources
        files = JUnitFileReader(limits: limits)
        drainBuffer = .allocate(byteCount: 256 << 10, alignment: 16)
    }

    deinit {
        drainBuffer.deallocate()
    }

    func read(_ location: RunLocation) -> RunRead {
        switch location {
        case let .directory(path): return readDirectory(path)
        case let .archive(path): return readArchive(path)
        }
    }

    /// What has been read of one run so far.
    private struct Collected {
        var sources: [SourceRecord] = []
        var problems: [Problem] = []
        var metadata: [RunFiles.Metadata: (depth: Int, bytes: [UInt8]?)] = [:]
        var junitFiles = 0
        var junitComplete = true
        /// A run folder's snapshot, stored with it.
        var snapshot: String?

        var hasFinished: Bool { metadata[.finished] != nil }
    }

    // MARK: - A run directory

    private func readDirectory(_ directory: String) -> RunRead {
        // Known and unchanged: proven with a stat of each entry of its snapshot, no listing.
        if let stored = known.fingerprint(of: directory), let text = snapshots?.snapshot(of: directory),
           let snapshot = RunSnapshot(text: text), snapshot.fingerprint == stored, snapshot.isCurrent(under: directory),
           let unchanged = known.check(directory, stored) {
            return unchanged
        }
        let listing = walker.listRun(directory)
        let runFiles = listing.files
        var collected = Collected()
        collected.problems = listing.problems.map { Problem(path: $0.path, kind: $0.kind, reason: $0.reason) }
        // A JUnit file the walk could not list is JUnit the run is missing.
        let prefix = directory + "/"
        if listing.problems.contains(where: { $0.path.hasPrefix(prefix) && RunFiles.isJUnitCandidate(String($0.path.dropFirst(prefix.count))) || $0.path.hasPrefix(prefix + "artifacts/") }) {
            collected.junitComplete = false
        }
        let snapshot = RunSnapshot(listing)
        let fingerprint = snapshot.fingerprint
        if let skip = known.check(directory, fingerprint) { return skip }
        collected.snapshot = snapshot.text

        let metadataFiles = runFiles.filter { RunFiles.metadata($0.relativePath) != nil }
        guard metadataFiles.contains(where: { RunFiles.metadata($0.relativePath) == .finished }) else {
            return .unfinished(path: directory, fingerprint: fingerprint, snapshot: collected.snapshot, problems: collected.problems)
        }
        for file in metadataFiles {
            guard let which = RunFiles.metadata(file.relativePath), collected.metadata[which] == nil else { continue }
            withFile(file, &collected) { source, collected in readMetadata(which, depth: 0, source, path: file.path, &collected) }
        }
        let attempts = RunAttempts(expectedTests: expectedTests)
        for file in runFiles where RunFiles.isJUnitCandidate(file.relativePath) {
            withFile(file, &collected) { source, collected in readJUnit(source, path: file.path, into: attempts, &collected) }
        }
        return finish(sourcePath: directory, runPath: directory, fingerprint: fingerprint, attempts: attempts,
                      collected: collected, metadataPath: { prefix + $0.rawValue })
    }

    /// Opens a run file, hands it to `read`, and records it in the ledger with the kind `read` says.
    private func withFile(_ file: RunFile, _ collected: inout Collected, _ read: (ByteSource, inout Collected) -> SourceKind) {
        let source: FileSource
        do {
            source = try FileSource(path: file.path)
        } catch {
            collected.problems.append(Problem(path: file.path, kind: Self.kind(of: error), reason: "\(error)"))
            if RunFiles.isJUnitCandidate(file.relativePath) { collected.junitComplete = false }
            return
        }
        defer { source.close() }
        let kind = read(source, &collected)
        if kind != .junit && kind != .metadata { drain(source) }
        collected.sources.append(SourceRecord(path: file.path, size: file.size, mtimeNanoseconds: file.mtimeNanoseconds,
                                              crc32: source.crc32, kind: kind))
    }

    // MARK: - A run archive

    private func readArchive(_ path: String) -> RunRead {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            return .unreadable(path: path, fingerprint: "", problems: [Problem(path: path, kind: "unreadable", reason: reason)])
        }
        let size = Int64(status.st_size)
        let mtime = epochNanoseconds(seconds: Int64(status.st_mtim.tv_sec), nanoseconds: Int64(status.st_mtim.tv_nsec))
        let fingerprint = Fingerprint.of(archiveSize: size, mtimeNanoseconds: mtime)
        if let skip = known.check(path, fingerprint) { return skip }

        var collected = Collected()
        let attempts = RunAttempts(expectedTests: expectedTests)
        let archive: FileSource
        do {
            archive = try FileSource(path: path)
        } catch {
            return .unreadable(path: path, fingerprint: fingerprint,
                               problems: [Problem(path: path, kind: Self.kind(of: error), reason: "\(error)")])
        }
        defer { archive.close() }
        var archiveProblem: Problem?
        do {
            // The size limit is for each member, below; the whole archive only has the ratio limit.
            let decoded = try decodedSource(archive, limits: DecompressionLimits(maxBytes: .max, maxRatio: limits.maxRatio))
            let tar = TarReader(decoded)
            while let entry = try tar.next() {
                readMember(entry, of: tar, archive: path, into: attempts, &collected)
            }
            // Read past the end-of-archive marker, so the gzip trailer (CRC, length) is checked too.
            while try decoded.read(into: drainBuffer) > 0 {}
        } catch {
            archiveProblem = Problem(path: path, kind: Self.kind(of: error), reason: "\(error)")
        }
        if let archiveProblem {
            collected.problems.append(archiveProblem)
            collected.junitComplete = false
            guard collected.hasFinished else {
                collected.problems[collected.problems.count - 1].reason += "; finished.json was not reached, so the run is not loaded"
                return .unreadable(path: path, fingerprint: fingerprint, problems: collected.problems)
            }
        }
        guard collected.hasFinished else {
            return .unfinished(path: path, fingerprint: fingerprint, snapshot: nil, problems: collected.problems)
        }
        collected.sources.append(SourceRecord(path: path, size: size, mtimeNanoseconds: mtime, crc32: archive.crc32, kind: .archive))
        return finish(sourcePath: path, runPath: Self.removingArchiveSuffix(path), fingerprint: fingerprint,
                      attempts: attempts, collected: collected, metadataPath: { path + "!/" + $0.rawValue })
    }

    /// Reads one archive member when it is metadata or may be JUnit.
    private func readMember(_ entry: TarEntry, of tar: TarReader, archive: String, into attempts: RunAttempts,
                            _ collected: inout Collected) {
        let memberPath = archive + "!/" + entry.path
        let components = entry.path.split(separator: "/")
        let name = components.last.map(String.init) ?? ""
        let inArtifacts = components.contains("artifacts")
        let metadata = inArtifacts ? nil : RunFiles.metadata(name)
        guard metadata != nil || (inArtifacts && RunFiles.isJUnitCandidate("artifacts/" + name)) else { return }
        guard isSafeArchivePath(entry.path) else {
            collected.problems.append(Problem(path: memberPath, kind: "unsafe-archive-path",
                                              reason: "archive member path is absolute or leaves the archive; skipped"))
            return
        }
        guard entry.kind == .file else {
            if entry.kind == .symlink || entry.kind == .hardlink {
                collected.problems.append(Problem(path: memberPath, kind: "archive-link",
                                                  reason: "archive member is a link (to \(entry.linkTarget ?? "?")); links are not followed"))
            }
            return
        }
        let body = CRC32Source(tar.body)
        let kind: SourceKind
        if let metadata {
            if let known = collected.metadata[metadata], known.depth <= components.count { return }
            kind = readMetadata(metadata, depth: components.count, body, path: memberPath, &collected)
        } else if entry.size > limits.maxBytes {
            collected.problems.append(Problem(path: memberPath, kind: ArtifactError.decompressedSizeLimit(limit: limits.maxBytes).kind,
                                              reason: "\(ArtifactError.decompressedSizeLimit(limit: limits.maxBytes))"))
            collected.junitComplete = false
            kind = .problem
        } else {
            kind = readJUnit(body, path: memberPath, into: attempts, &collected)
        }
        if kind != .junit && kind != .metadata { drain(body) }
        collected.sources.append(SourceRecord(path: memberPath, size: entry.size,
                                              mtimeNanoseconds: epochNanoseconds(seconds: entry.mtime), crc32: body.crc32, kind: kind))
    }

    // MARK: - Shared

    /// Reads a metadata file whole; a file that exists but cannot be read still counts as present.
    private func readMetadata(_ which: RunFiles.Metadata, depth: Int, _ source: ByteSource, path: String,
                              _ collected: inout Collected) -> SourceKind {
        do {
            collected.metadata[which] = (depth, try files.readSmallFile(source))
            return .metadata
        } catch {
            collected.metadata[which] = (depth, nil)
            collected.problems.append(Problem(path: path, kind: Self.kind(of: error), reason: "\(error)"))
            return .problem
        }
    }

    /// Reads a JUnit candidate into the run: all of its cases, or none.
    private func readJUnit(_ source: ByteSource, path: String, into attempts: RunAttempts,
                           _ collected: inout Collected) -> SourceKind {
        switch files.read(source, into: attempts) {
        case .loaded:
            collected.junitFiles += 1
            return .junit
        case .notJUnit:
            return .notJUnit
        case let .problem(kind, reason):
            collected.junitComplete = false
            collected.problems.append(Problem(path: path, kind: kind, reason: reason))
            return .problem
        }
    }

    private func finish(sourcePath: String, runPath: String, fingerprint: String, attempts: RunAttempts,
                        collected: Collected, metadataPath: (RunFiles.Metadata) -> String) -> RunRead {
        let metadata = RunMetadata(
            runPath: runPath,
            started: collected.metadata[.started]?.bytes, finished: collected.metadata[.finished]?.bytes,
            prowjob: collected.metadata[.prowjob]?.bytes,
            paths: (metadataPath(.started), metadataPath(.finished), metadataPath(.prowjob)),
            payloadSources: payloadSources)
        let problems = collected.problems + metadata.problems
        expectedTests = attempts.attempts.results.count
        // A run that met a problem that may pass is read again next time, changed or not.
        let retry = problems.contains { retryableProblemKinds.contains($0.kind) }
        return .loaded(RunLoad(
            sourcePath: sourcePath, fingerprint: (retry ? Fingerprint.retryPrefix : "") + fingerprint,
            snapshot: collected.snapshot, run: metadata.run,
            results: attempts.attempts.results, sources: collected.sources.sorted { $0.path < $1.path },
            problems: problems, junitFiles: collected.junitFiles, junitComplete: collected.junitComplete,
            casesRead: attempts.attempts.casesRead))
    }

    /// Reads the rest of a stream, so its digest covers all of it.
    private func drain(_ source: ByteSource) {
        while let count = try? source.read(into: drainBuffer), count > 0 {}
    }

    static func removingArchiveSuffix(_ path: String) -> String {
        for suffix in [".tar.gz", ".tgz", ".tar"] where path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count))
        }
        return path
    }

    static func kind(of error: Error) -> String {
        switch error {
        case let error as ArtifactError: return error.kind
        case let error as JUnitError: return error.kind
        default: return "unreadable"
        }
    }
}

/// What earlier ingests recorded about each source: the fingerprints of loaded runs and of
/// skipped ones, so an unchanged source costs only a `stat`.
struct KnownSources: Sendable {
    var loaded: [String: String]
    var skipped: [String: SkippedSource]

    /// The fingerprint a source had when last seen, loaded or skipped.
    func fingerprint(of path: String) -> String? {
        loaded[path] ?? skipped[path]?.fingerprint
    }

    /// The answer for a source that did not change since it was last seen, or nil to read it.
    func check(_ path: String, _ fingerprint: String) -> RunRead? {
        if loaded[path] == fingerprint { return .unchanged(path: path) }
        if let skip = skipped[path], skip.fingerprint == fingerprint { return .skippedAgain(path: path, reason: skip.reason) }
        return nil
    }
}

/// Digests that tell whether a run's files changed since it was loaded.
enum Fingerprint {
    /// Marks the fingerprint of a run that must be read again even if unchanged.
    static let retryPrefix = "retry:"

    /// Over an archive's size and modification time.
    static func of(archiveSize: Int64, mtimeNanoseconds: Int64) -> String {
        "tar:\(archiveSize):\(mtimeNanoseconds)"
    }
}
