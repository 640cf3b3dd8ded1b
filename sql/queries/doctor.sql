-- doctor.sql: the consistency checks of `cisignal doctor`. Each returns one row: the number of
-- offending rows, and one example (NULL when there is none). None of them writes.

-- name: runsWithWrongResultCount
-- Runs whose ledger count (job_runs.test_results) differs from the rows stored for them: a run
-- is loaded whole or not at all, so this must be 0.
SELECT count(*), min(r.source_path)
FROM job_runs r
WHERE r.test_results <> (SELECT count(*) FROM test_results x WHERE x.run_id = r.id);

-- name: orphanResults
-- Test results of runs that do not exist.
SELECT count(*), min(x.run_id)
FROM test_results x
WHERE NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.id = x.run_id);

-- name: orphanSources
-- Ledger entries (files read) of runs that do not exist.
SELECT count(*), min(s.path)
FROM ingest_sources s
WHERE NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.id = s.run_id);

-- name: resultsWithMissingTests
-- Results naming a test, suite or failure message that does not exist.
SELECT count(*), min(x.run_id)
FROM test_results x
WHERE NOT EXISTS (SELECT 1 FROM tests t WHERE t.id = x.test_id)
   OR NOT EXISTS (SELECT 1 FROM suites s WHERE s.id = x.suite_id)
   OR (x.failure_message_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM failure_messages m WHERE m.id = x.failure_message_id));

-- name: regressionsWithMissingTests
-- Tracked regressions of tests that do not exist.
SELECT count(*), min(g.id)
FROM regressions g
WHERE NOT EXISTS (SELECT 1 FROM tests t WHERE t.id = g.test_id);

-- name: unusedFailureMessages
-- Failure texts no result points at any more (left by replaced runs): harmless, they only take room.
SELECT count(*), min(m.id)
FROM failure_messages m
WHERE NOT EXISTS (SELECT 1 FROM test_results x WHERE x.failure_message_id = m.id);

-- name: unfinishedBatches
-- Ingests that never finished: killed, or running now.
SELECT count(*), min(id) FROM ingest_batches WHERE status = 'running';

-- name: daysAwaitingRollup
-- Days ingests changed since the last rollup.
SELECT count(*), min(day) FROM rollup_dirty_days;
