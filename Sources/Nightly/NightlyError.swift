/// Why a nightly run stopped.
public enum NightlyError: Error, Equatable, CustomStringConvertible {
    /// Another nightly run holds the lock.
    case alreadyRunning(lock: String, holder: String)
    /// A stage of `job` ("nightly", "report", "demo") failed; the stages before it are kept
    /// (each commits its own work).
    case stageFailed(job: String, stage: String, reason: String)
    case cannotLog(path: String, reason: String)
    /// Nothing to ingest: no roots in the configuration.
    case noRoots

    public var description: String {
        switch self {
        case let .alreadyRunning(lock, holder):
            return "another nightly run is in progress (\(holder)); lock \(lock). This run did nothing"
        case let .stageFailed(job, stage, reason): return "\(job) stopped in stage \(stage): \(reason)"
        case let .cannotLog(path, reason): return "cannot write the nightly log \(path): \(reason)"
        case .noRoots: return "no artifact roots to ingest: list them under `roots` in cisignal.yaml"
        }
    }
}
