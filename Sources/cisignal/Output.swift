import Foundation

/// Writes the command's lines: results to standard output, problems and progress to standard error.
final class Output {
    let quiet: Bool
    private let progressEnabled: Bool
    private var lastProgress = Date.distantPast
    private var progressShown = false
    private var problemLines = 0
    private let maximumProblemLines: Int

    /// - Parameters:
    ///   - quiet: print no progress and no summary.
    ///   - maximumProblemLines: problem lines printed before the rest are only counted.
    init(quiet: Bool, progress: Bool, maximumProblemLines: Int = 50) {
        self.quiet = quiet
        progressEnabled = progress && !quiet && isatty(STDERR_FILENO) == 1
        self.maximumProblemLines = maximumProblemLines
    }

    func line(_ text: String) {
        clearProgress()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func error(_ text: String) {
        clearProgress()
        FileHandle.standardError.write(Data(("cisignal: " + text + "\n").utf8))
    }

    /// One line for a problem; after the cap, nothing (the summary counts them all).
    func problem(_ text: String) {
        problemLines += 1
        if problemLines <= maximumProblemLines {
            error("problem: " + text)
        } else if problemLines == maximumProblemLines + 1 {
            error("more problems are not printed; all are in the ingest_problems table")
        }
    }

    /// A progress line that rewrites itself, at most four times a second, on a terminal only.
    func progress(_ text: @autoclosure () -> String) {
        guard progressEnabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastProgress) >= 0.25 else { return }
        lastProgress = now
        progressShown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text()).utf8))
    }

    func clearProgress() {
        guard progressShown else { return }
        progressShown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
