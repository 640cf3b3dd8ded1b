#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors reading artifact bytes.
///
/// `description` is one line naming the reason, without the path: the caller knows which file it
/// was reading and prefixes the path itself.
public enum ArtifactError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, e.g. "permission denied", "no such file or directory".
    case cannotOpen(reason: String)
    /// A read(2) on an open file failed.
    case readFailed(reason: String)
    /// The gzip data is damaged: bad header, inflate error, or bad CRC/length in a member trailer.
    case corruptGzip(reason: String)
    /// The gzip stream ended inside a member.
    case truncatedGzip
    /// Bytes that are neither gzip members nor zero padding follow a complete member.
    case gzipTrailingGarbage
    /// The inflated output exceeded `DecompressionLimits.maxBytes`.
    case decompressedSizeLimit(limit: Int64)
    /// The output/input ratio exceeded `DecompressionLimits.maxRatio` (checked only past 16 MiB of output).
    case compressionRatioLimit(limit: Int)
    /// A tar header block at byte `offset` of the (decompressed) archive could not be used.
    case badTarHeader(offset: Int64, reason: String)
    /// The tar archive ended inside a header, an entry body or its padding.
    case truncatedTar

    /// One line describing the problem, without the path.
    public var description: String {
        switch self {
        case .cannotOpen(let reason): return "cannot open: \(reason)"
        case .readFailed(let reason): return "read failed: \(reason)"
        case .corruptGzip(let reason): return "corrupt gzip data: \(reason)"
        case .truncatedGzip: return "gzip data ends in the middle of a member (truncated file?)"
        case .gzipTrailingGarbage: return "unexpected non-gzip bytes after the end of the gzip data"
        case .decompressedSizeLimit(let limit):
            return "decompressed data exceeds the size limit of \(limit) bytes"
        case .compressionRatioLimit(let limit):
            return "compression ratio exceeds the limit of \(limit):1 (possible gzip bomb)"
        case .badTarHeader(let offset, let reason): return "bad tar header at byte \(offset): \(reason)"
        case .truncatedTar: return "tar archive ends in the middle of an entry (truncated file?)"
        }
    }

    /// A short kebab-case tag for the problems table.
    public var kind: String {
        switch self {
        case .cannotOpen, .readFailed: return "unreadable"
        case .corruptGzip: return "corrupt-gzip"
        case .truncatedGzip: return "truncated-gzip"
        case .gzipTrailingGarbage: return "gzip-trailing-garbage"
        case .decompressedSizeLimit: return "size-limit"
        case .compressionRatioLimit: return "ratio-limit"
        case .badTarHeader: return "bad-tar-header"
        case .truncatedTar: return "truncated-tar"
        }
    }
}

/// The system's message for `code`, with a lower-case first letter ("no such file or directory").
func errnoReason(_ code: Int32) -> String {
    let message = String(cString: strerror(code))
    guard let first = message.first else { return "error \(code)" }
    return first.lowercased() + message.dropFirst()
}
