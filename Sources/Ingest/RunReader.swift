import Artifacts
import Foundation
import JUnit
import Store

/// What reading one run location gave.
enum RunRead: Sendable {
    /// Loaded before from the same place, and no file changed since: nothing was read.
    case unchanged(path: String)
    /// No finished.json yet: not loaded now, looked at again next time.
    case unfinished(path: String)
    /// Read; ready to be written.
    case loaded(RunLoad)
    /// Could not be read at all (e.g. an archive broken before its metadata); only its problems remain.
    case unreadable(path: String, problems: [Problem])
}

/// Reads one job run — a directory or an archive — into a `RunLoad`, with everything that went
/// wrong as problems. Used by one thread at a time; it owns its read buffer.
final class RunReader {
    private let walker = ArtifactWalker()
    private let files: JUnitFileReader
    private let knownFingerprints: [String: String]
    private let limits: DecompressionLimits
    private let payloadSources: [String]
    private let drainBuffer: UnsafeMutableRawBufferPointer
    /// The number of tests in the last run read: runs of one job look alike, so it sizes the next.
    private var expectedTests = 0

    init(knownFingerprints: [String: String], limits: DecompressionLimits, payloadSources: [String]) {
        self.knownFingerprints = knownFingerprints
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

    // MARK: - A run directory

    private func readDirectory(_ directory: String) -> RunRead {
        let (runFiles, walkProblems) = walker.listFiles(ofRun: directory)
        var problems = walkProblems.map { Problem(path: $0.path, kind: $0.kind, reason: $0.reason) }
        let fingerprint = Fingerprint.of(runFiles)
        if knownFingerprints[directory] == fingerprint { return .unchanged(path: directory) }

        var metadataFiles: [RunFiles.Metadata: RunFile] = [:]
        for file in runFiles {
            if let metadata = RunFiles.metadata(file.relativePath), metadataFiles[metadata] == nil {
                metadataFiles[metadata] = file
            }
        }
        guard metadataFiles[.finished] != nil else { return .unfinished(path: directory) }

        var sources: [SourceRecord] = []
        var metadataBytes: [RunFiles.Metadata: [UInt8]] = [:]
        for (metadata, file) in metadataFiles {
            do {
                let source = try FileSource(path: file.path)
                defer { source.close() }
                do {
                    metadataBytes[metadata] = try files.readSmallFile(source)
                    sources.append(record(file, source, .metadata))
                } catch {
                    drain(source)
                    problems.append(Problem(path: file.path, kind: Self.kind(of: error), reason: "\(error)"))
                    sources.append(record(file, source, .problem))
                }
            } catch {
                problems.append(Problem(path: file.path, kind: Self.kind(of: error), reason: "\(error)"))
            }
        }

        let attempts = RunAttempts(expectedTests: expectedTests)
        var junitFiles = 0
        var junitComplete = true
        for file in runFiles where RunFiles.isJUnitCandidate(file.relativePath) {
            let source: FileSource
            do {
                source = try FileSource(path: file.path)
            } catch {
                problems.append(Problem(path: file.path, kind: Self.kind(of: error), reason: "\(error)"))
                junitComplete = false
                continue
            }
            defer { source.close() }
            switch files.read(source, into: attempts) {
            case .loaded:
                junitFiles += 1
                sources.append(record(file, source, .junit))
            case .notJUnit:
                drain(source)
                sources.append(record(file, source, .notJUnit))
            case let .problem(kind, reason):
                drain(source)
                junitComplete = false
                problems.append(Problem(path: file.path, kind: kind, reason: reason))
                sources.append(record(file, source, .problem))
            }
        }

        let metadata = RunMetadata(
            runPath: directory,
            started: metadataBytes[.started], finished: metadataBytes[.finished], prowjob: metadataBytes[.prowjob],
            paths: (metadataFiles[.started]?.path ?? directory + "/started.json",
                    metadataFiles[.finished]?.path ?? directory + "/finished.json",
                    metadataFiles[.prowjob]?.path ?? directory + "/prowjob.json"),
            payloadSources: payloadSources)
        problems += metadata.problems
        expectedTests = attempts.attempts.results.count
        return .loaded(RunLoad(
            sourcePath: directory, fingerprint: fingerprint, run: metadata.run, results: attempts.attempts.results,
            sources: sources.sorted { $0.path < $1.path }, problems: problems,
            junitFiles: junitFiles, junitComplete: junitComplete, casesRead: attempts.attempts.casesRead))
    }

    private func record(_ file: RunFile, _ source: FileSource, _ kind: SourceKind) -> SourceRecord {
        SourceRecord(path: file.path, size: file.size, mtimeNanoseconds: file.mtimeNanoseconds,
                     crc32: source.crc32, kind: kind)
    }

    /// Reads the rest of a file, so its digest covers all of it.
    private func drain(_ source: ByteSource) {
        while let count = try? source.read(into: drainBuffer), count > 0 {}
    }

    // MARK: - A run archive

    private func readArchive(_ path: String) -> RunRead {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .unreadable(path: path, problems: [Problem(path: path, kind: "unreadable", reason: String(cString: strerror(errno)))])
        }
        let size = Int64(status.st_size)
        let mtime = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        let fingerprint = Fingerprint.of(archiveSize: size, mtimeNanoseconds: mtime)
        if knownFingerprints[path] == fingerprint { return .unchanged(path: path) }

        var problems: [Problem] = []
        var sources: [SourceRecord] = []
        var metadataBytes: [RunFiles.Metadata: (depth: Int, bytes: [UInt8])] = [:]
        let attempts = RunAttempts(expectedTests: expectedTests)
        var junitFiles = 0
        var junitComplete = true
        let archive: FileSource
        do {
            archive = try FileSource(path: path)
        } catch {
            return .unreadable(path: path, problems: [Problem(path: path, kind: Self.kind(of: error), reason: "\(error)")])
        }
        defer { archive.close() }
        var archiveProblem: Problem?
        do {
            let decoded = try decodedSource(archive, limits: limits)
            let tar = TarReader(decoded)
            while let entry = try tar.next() {
                let memberPath = path + "!/" + entry.path
                let components = entry.path.split(separator: "/")
                let name = components.last.map(String.init) ?? ""
                let inArtifacts = components.contains("artifacts")
                let metadata = inArtifacts ? nil : RunFiles.metadata(name)
                let candidate = inArtifacts && RunFiles.isJUnitCandidate("artifacts/" + name)
                guard metadata != nil || candidate else { continue }
                guard isSafeArchivePath(entry.path) else {
                    problems.append(Problem(path: memberPath, kind: "unsafe-archive-path",
                                            reason: "archive member path is absolute or leaves the archive; skipped"))
                    continue
                }
                guard entry.kind == .file else {
                    if entry.kind == .symlink || entry.kind == .hardlink {
                        problems.append(Problem(path: memberPath, kind: "archive-link",
                                                reason: "archive member is a link (to \(entry.linkTarget ?? "?")); links are not followed"))
                    }
                    continue
                }
                let body = CRC32Source(tar.body)
                if let metadata {
                    let depth = components.count
                    if let known = metadataBytes[metadata], known.depth <= depth { continue }
                    do {
                        metadataBytes[metadata] = (depth, try files.readSmallFile(body))
                        sources.append(member(memberPath, entry, body, .metadata))
                    } catch {
                        drain(body)
                        problems.append(Problem(path: memberPath, kind: Self.kind(of: error), reason: "\(error)"))
                        sources.append(member(memberPath, entry, body, .problem))
                    }
                } else {
                    switch files.read(body, into: attempts) {
                    case .loaded:
                        junitFiles += 1
                        sources.append(member(memberPath, entry, body, .junit))
                    case .notJUnit:
                        drain(body)
                        sources.append(member(memberPath, entry, body, .notJUnit))
                    case let .problem(kind, reason):
                        drain(body)
                        junitComplete = false
                        problems.append(Problem(path: memberPath, kind: kind, reason: reason))
                        sources.append(member(memberPath, entry, body, .problem))
                    }
                }
            }
            // Read past the end-of-archive marker, so the gzip trailer (CRC, length) is checked too.
            while try decoded.read(into: drainBuffer) > 0 {}
        } catch {
            archiveProblem = Problem(path: path, kind: Self.kind(of: error), reason: "\(error)")
        }

        if let archiveProblem {
            problems.append(archiveProblem)
            guard metadataBytes[.finished] != nil else {
                problems[problems.count - 1].reason += "; finished.json was not reached, so the run is not loaded"
                return .unreadable(path: path, problems: problems)
            }
            junitComplete = false
        }
        guard metadataBytes[.finished] != nil else { return .unfinished(path: path) }
        sources.append(SourceRecord(path: path, size: size, mtimeNanoseconds: mtime, crc32: archive.crc32, kind: .archive))

        let runPath = Self.removingArchiveSuffix(path)
        let metadata = RunMetadata(
            runPath: runPath,
            started: metadataBytes[.started]?.bytes, finished: metadataBytes[.finished]?.bytes,
            prowjob: metadataBytes[.prowjob]?.bytes,
            paths: (path + "!/started.json", path + "!/finished.json", path + "!/prowjob.json"),
            payloadSources: payloadSources)
        problems += metadata.problems
        expectedTests = attempts.attempts.results.count
        return .loaded(RunLoad(
            sourcePath: path, fingerprint: fingerprint, run: metadata.run, results: attempts.attempts.results,
            sources: sources.sorted { $0.path < $1.path }, problems: problems,
            junitFiles: junitFiles, junitComplete: junitComplete, casesRead: attempts.attempts.casesRead))
    }

    private func member(_ path: String, _ entry: TarEntry, _ body: CRC32Source, _ kind: SourceKind) -> SourceRecord {
        SourceRecord(path: path, size: entry.size, mtimeNanoseconds: entry.mtime * 1_000_000_000, crc32: body.crc32, kind: kind)
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

/// Digests that tell whether a run's files changed since it was loaded.
enum Fingerprint {
    /// Over every file's relative path, size and modification time.
    static func of(_ files: [RunFile]) -> String {
        var hash = FNV1a()
        for file in files {
            hash.add(file.relativePath)
            hash.add("\u{0}\(file.size)\u{0}\(file.mtimeNanoseconds)\n")
        }
        return "dir:\(files.count):" + hash.hex
    }

    /// Over an archive's size and modification time.
    static func of(archiveSize: Int64, mtimeNanoseconds: Int64) -> String {
        "tar:\(archiveSize):\(mtimeNanoseconds)"
    }
}

/// 64-bit FNV-1a, for change detection (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
