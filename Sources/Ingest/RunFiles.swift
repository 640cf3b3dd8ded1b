/// Which files of a run matter, by their path inside the run directory.
enum RunFiles {
    /// The metadata file a name stands for, with or without a `.gz` suffix.
    enum Metadata: String, CaseIterable {
        case started = "started.json", finished = "finished.json", prowjob = "prowjob.json"
    }

    /// The metadata file at the run's top level named by `relativePath`, if it is one.
    static func metadata(_ relativePath: String) -> Metadata? {
        guard !relativePath.contains("/") else { return nil }
        let name = relativePath.hasSuffix(".gz") ? String(relativePath.dropLast(3)) : relativePath
        return Metadata(rawValue: name)
    }

    /// True for files that may be JUnit: `.xml` or `.xml.gz` (any case) below `artifacts/`.
    /// Whether one really is JUnit is decided by its root element.
    static func isJUnitCandidate(_ relativePath: String) -> Bool {
        guard relativePath.hasPrefix("artifacts/") || relativePath.contains("/artifacts/") else { return false }
        let lower = relativePath.lowercased()
        return lower.hasSuffix(".xml") || lower.hasSuffix(".xml.gz")
    }
}
