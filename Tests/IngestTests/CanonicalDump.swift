import TestSupport
import Store

/// The logical content of a database — what was loaded, not how (no row ids, batch ids or times
/// of loading) — as sorted lines, so two databases can be compared.
enum CanonicalDump {
    static let queries = [
        """
        SELECT 'run', j.name, r.build_id, r.run_type, r.started_at, r.finished_at, r.duration_seconds, r.result,
               p.tag, r.pr_number, r.refs, r.revision, r.url, r.source_path, r.source_fingerprint,
               r.junit_files, r.junit_complete, r.test_results
        FROM job_runs r JOIN jobs j ON j.id = r.job_id LEFT JOIN payloads p ON p.id = r.payload_id
        """,
        """
        SELECT 'result', j.name, r.build_id, t.name, t.classname, s.path, x.passes, x.failures, x.skips,
               x.outcome, x.duration_seconds, m.text
        FROM test_results x JOIN job_runs r ON r.id = x.run_id JOIN jobs j ON j.id = r.job_id
        JOIN tests t ON t.id = x.test_id JOIN suites s ON s.id = x.suite_id
        LEFT JOIN failure_messages m ON m.id = x.failure_message_id
        """,
        """
        SELECT 'source', s.path, s.size, s.mtime_ns, s.digest, s.kind, r.source_path
        FROM ingest_sources s JOIN job_runs r ON r.id = s.run_id
        """,
        // Problems of loaded runs are stored once with the run; walk problems once per batch.
        "SELECT DISTINCT 'problem', path, kind, reason, run_id IS NOT NULL FROM ingest_problems",
        "SELECT 'orphan-result', count(*) FROM test_results WHERE run_id NOT IN (SELECT id FROM job_runs)",
        "SELECT 'orphan-source', count(*) FROM ingest_sources WHERE run_id NOT IN (SELECT id FROM job_runs)",
        "SELECT 'integrity', integrity_check FROM pragma_integrity_check",
    ]

    static func of(databaseAt path: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true)
        var lines: [String] = []
        for query in queries {
            let statement = try database.prepare(query)
            while try statement.step() {
                lines.append((0..<statement.columnCount).map { statement.text($0) ?? "NULL" }.joined(separator: "\t"))
            }
        }
        return lines.sorted()
    }
}
