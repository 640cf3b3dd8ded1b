-- ingest.sql: the statements `cisignal ingest` runs, each under a `-- name:` line.
-- Parameters are positional (?1, ?2 ...) and documented above each statement.
-- The loader prepares every statement once per process and reuses it for every run.

-- name: findJob
-- ?1 job name
SELECT id FROM jobs WHERE name = ?1;

-- name: insertJob
-- ?1 job name
INSERT INTO jobs (name) VALUES (?1);

-- name: findPayload
-- ?1 payload tag
SELECT id FROM payloads WHERE tag = ?1;

-- name: insertPayload
-- ?1 payload tag
INSERT INTO payloads (tag) VALUES (?1);

-- name: findTest
-- ?1 name, ?2 classname
SELECT id FROM tests WHERE name = ?1 AND classname = ?2;

-- name: insertTest
-- ?1 name, ?2 classname, ?3 the suite it is first seen in
INSERT INTO tests (name, classname, suite_id) VALUES (?1, ?2, ?3);

-- name: findSuite
-- ?1 suite path
SELECT id FROM suites WHERE path = ?1;

-- name: insertSuite
-- ?1 suite path
INSERT INTO suites (path) VALUES (?1);

-- name: findFailureMessage
-- ?1 digest, ?2 text: the digest narrows, the text decides.
SELECT id FROM failure_messages WHERE digest = ?1 AND text = ?2;

-- name: insertFailureMessage
-- ?1 digest, ?2 text
INSERT INTO failure_messages (digest, text) VALUES (?1, ?2);

-- name: findRunBySource
-- ?1 source path. The run previously loaded from the same place, if any.
SELECT id, job_id, build_id FROM job_runs WHERE source_path = ?1;

-- name: findRunByIdentity
-- ?1 job id, ?2 build id. The same run loaded from another place, if any.
SELECT id, source_path FROM job_runs WHERE job_id = ?1 AND build_id = ?2;

-- name: sourceFingerprints
-- Every loaded run's source and fingerprint: what lets a re-run skip unchanged runs after a stat.
SELECT source_path, source_fingerprint FROM job_runs;

-- name: skippedSources
-- Sources seen before and not loaded, with their fingerprint and why.
SELECT path, fingerprint, reason FROM ingest_skipped_sources;

-- name: upsertSkippedSource
-- ?1 path, ?2 fingerprint, ?3 reason, ?4 batch, ?5 snapshot
INSERT INTO ingest_skipped_sources (path, fingerprint, reason, batch_id, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (path) DO UPDATE
   SET fingerprint = excluded.fingerprint, reason = excluded.reason, batch_id = excluded.batch_id,
       snapshot = excluded.snapshot;

-- name: snapshotOfSource
-- ?1 source path. The snapshot it had when it was last read, loaded or skipped.
SELECT source_snapshot FROM job_runs WHERE source_path = ?1
UNION ALL
SELECT snapshot FROM ingest_skipped_sources WHERE path = ?1
LIMIT 1;

-- name: deleteSkippedSource
-- ?1 path: it was loaded after all.
DELETE FROM ingest_skipped_sources WHERE path = ?1;

-- name: insertRun
-- ?1 job id, ?2 build id, ?3 run type, ?4 started, ?5 finished, ?6 duration, ?7 result, ?8 payload id,
-- ?9 PR number, ?10 refs JSON, ?11 revision, ?12 URL, ?13 source path, ?14 fingerprint,
-- ?15 JUnit files, ?16 JUnit complete, ?17 result rows, ?18 batch id, ?19 snapshot
INSERT INTO job_runs (
    job_id, build_id, run_type, started_at, finished_at, duration_seconds, result, payload_id,
    pr_number, refs, revision, url, source_path, source_fingerprint,
    junit_files, junit_complete, test_results, batch_id, source_snapshot
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19);

-- name: updateRun
-- Same parameters as insertRun, and ?20 the run id. A replaced run keeps its id.
UPDATE job_runs
   SET job_id = ?1, build_id = ?2, run_type = ?3, started_at = ?4, finished_at = ?5,
       duration_seconds = ?6, result = ?7, payload_id = ?8, pr_number = ?9, refs = ?10,
       revision = ?11, url = ?12, source_path = ?13, source_fingerprint = ?14,
       junit_files = ?15, junit_complete = ?16, test_results = ?17, batch_id = ?18,
       source_snapshot = ?19
 WHERE id = ?20;

-- name: deleteRunResults
-- ?1 run id. Clears a run that is being replaced (in the same transaction as its new rows).
DELETE FROM test_results WHERE run_id = ?1;

-- name: deleteRunSources
-- ?1 run id
DELETE FROM ingest_sources WHERE run_id = ?1;

-- name: insertResult
-- ?1 run, ?2 test, ?3 suite, ?4 passes, ?5 failures, ?6 skips, ?7 outcome, ?8 duration, ?9 message id
INSERT INTO test_results (
    run_id, test_id, suite_id, passes, failures, skips, outcome, duration_seconds, failure_message_id
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);

-- name: insertSource
-- ?1 path, ?2 run, ?3 size, ?4 mtime (ns), ?5 digest, ?6 kind, ?7 batch.
-- A path seen before (its run was replaced or moved) takes the new values.
INSERT INTO ingest_sources (path, run_id, size, mtime_ns, digest, kind, batch_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (path) DO UPDATE
   SET run_id = excluded.run_id, size = excluded.size, mtime_ns = excluded.mtime_ns,
       digest = excluded.digest, kind = excluded.kind, batch_id = excluded.batch_id;

-- name: insertProblem
-- ?1 batch, ?2 path, ?3 kind, ?4 reason, ?5 run id or NULL, ?6 time
INSERT INTO ingest_problems (batch_id, path, kind, reason, run_id, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: beginBatch
-- ?1 start time, ?2 roots (JSON array)
INSERT INTO ingest_batches (started_at, roots) VALUES (?1, ?2);

-- name: markInterruptedBatches
-- Batches left 'running' by a process that died. Only run while holding the writer lock.
UPDATE ingest_batches SET status = 'interrupted' WHERE status = 'running';

-- name: finishBatch
-- ?1 finish time, ?2 status, ?3 new, ?4 replaced, ?5 unchanged, ?6 unfinished, ?7 result rows,
-- ?8 cases read, ?9 problems, ?10 batch id, ?11 duplicate, ?12 unreadable
UPDATE ingest_batches
   SET finished_at = ?1, status = ?2, runs_new = ?3, runs_replaced = ?4, runs_unchanged = ?5,
       runs_unfinished = ?6, results_loaded = ?7, cases_read = ?8, problems = ?9,
       runs_duplicate = ?11, runs_unreadable = ?12
 WHERE id = ?10;
