-- report.sql: what `cisignal report` reads beyond the rate, readiness and regression queries.
-- Days are 'YYYY-MM-DD' (UTC); ranges are half-open [first, after-last). Timestamps leave as ISO
-- 8601 UTC text.

-- name: recentPayloads
-- Payloads of periodic runs started in [?1, ?2), newest first (by their first run), at most ?3.
SELECT p.tag, strftime('%Y-%m-%dT%H:%M:%SZ', min(coalesce(r.started_at, r.finished_at)), 'unixepoch') AS first_run_at,
       count(*) AS runs, count(DISTINCT r.job_id) AS jobs
FROM job_runs r
JOIN payloads p ON p.id = r.payload_id
WHERE r.run_type = 'periodic' AND r.day >= ?1 AND r.day < ?2
GROUP BY p.id
ORDER BY min(coalesce(r.started_at, r.finished_at)) DESC, p.tag DESC
LIMIT ?3;

-- name: upsertPayloadVerdict
-- ?1 payload, ?2 verdict (accepted, rejected, not-judged), ?3 jobs, ?4 regressed tests, ?5 as-of
-- day. A verdict that changes to rejected is announced again.
INSERT INTO payload_verdicts (payload, verdict, jobs, regressed_tests, first_judged_day, judged_day)
VALUES (?1, ?2, ?3, ?4, ?5, ?5)
ON CONFLICT (payload) DO UPDATE
SET notified = CASE WHEN payload_verdicts.verdict = excluded.verdict THEN payload_verdicts.notified ELSE 0 END,
    verdict = excluded.verdict, jobs = excluded.jobs, regressed_tests = excluded.regressed_tests,
    judged_day = excluded.judged_day;

-- name: unannouncedRejections
-- Payloads judged rejected on or before ?1 that no digest has announced.
SELECT payload FROM payload_verdicts WHERE verdict = 'rejected' AND notified = 0 AND first_judged_day <= ?1 ORDER BY payload;

-- name: markRejectionAnnounced
UPDATE payload_verdicts SET notified = 1 WHERE payload = ?1;

-- name: unannouncedRegressions
-- Open regressions that no digest has announced: their id, test and cell.
SELECT g.id, t.name, g.cell
FROM regressions g
JOIN tests t ON t.id = g.test_id
WHERE g.status = 'open' AND NOT EXISTS (SELECT 1 FROM regression_notices n WHERE n.regression_id = g.id)
ORDER BY g.opened_day, g.component, t.name, g.cell;

-- name: markRegressionAnnounced
-- ?1 regression id, ?2 as-of day.
INSERT OR IGNORE INTO regression_notices (regression_id, notified_day) VALUES (?1, ?2);

-- name: lastGoodPayload
-- The newest accepted payload first judged on or before ?1 (by its first run). Payloads nothing
-- could be judged on are not good, only unknown.
SELECT v.payload
FROM payload_verdicts v
JOIN payloads p ON p.tag = v.payload
JOIN job_runs r ON r.payload_id = p.id
WHERE v.verdict = 'accepted' AND v.first_judged_day <= ?1
GROUP BY v.payload
ORDER BY min(coalesce(r.started_at, r.finished_at)) DESC, v.payload DESC
LIMIT 1;

-- name: previousReport
-- The newest report written for a day before ?1: its day and when it was written.
SELECT as_of, written_at FROM report_history WHERE as_of < ?1 ORDER BY as_of DESC LIMIT 1;

-- name: recordReport
-- ?1 as-of day, ?2 folder, ?3 unix seconds.
INSERT INTO report_history (as_of, folder, written_at) VALUES (?1, ?2, ?3)
ON CONFLICT (as_of) DO UPDATE SET folder = excluded.folder, written_at = excluded.written_at;

-- name: regressionHistory
-- Regressions that were open at some point in (?1, ?2]: opened on or before ?2, and open now or
-- closed after ?1. With the owner of the test's component and the first-seen test name.
SELECT r.id, t.name, r.component, coalesce(c.owner, '') AS owner, r.cell, r.status, r.opened_day,
       r.opened_payload, r.last_good_payload, r.last_seen_day,
       strftime('%Y-%m-%dT%H:%M:%SZ', r.last_failure_at, 'unixepoch') AS last_failure_at,
       r.closed_day, r.closed_payload, r.worst_pass_pct, r.basis_pass_pct, r.last_p_value, r.failing_runs
FROM regressions r
JOIN tests t ON t.id = r.test_id
LEFT JOIN test_classes c ON c.test_id = r.test_id
WHERE r.opened_day <= ?2 AND (r.status = 'open' OR r.closed_day > ?1)
ORDER BY r.status DESC, r.opened_day DESC, r.component, t.name, r.cell;

-- name: componentDailyPassRates
-- Per day in [?1, ?2), the pass % of component ?3's tests (flakes count as passes: working %).
SELECT d.day, sum(d.runs) AS runs, sum(d.passes + d.flakes) AS passes
FROM daily_test_totals d
JOIN test_classes c ON c.test_id = d.test_id
WHERE c.component = ?3 AND d.day >= ?1 AND d.day < ?2
GROUP BY d.day
ORDER BY d.day;

-- name: jobDailyPassRates
-- Per day in [?1, ?2), the runs of job ?3 and how many succeeded.
SELECT d.day, sum(d.runs) AS runs, sum(d.succeeded) AS passes
FROM daily_job_totals d
JOIN jobs j ON j.id = d.job_id
WHERE j.name = ?3 AND d.day >= ?1 AND d.day < ?2
GROUP BY d.day
ORDER BY d.day;

-- name: testDailyFlakes
-- Per day in [?1, ?2), the runs and flakes of test ?3 (by name), over every kept job.
SELECT d.day, sum(d.runs) AS runs, sum(d.flakes) AS flakes
FROM daily_test_totals d
JOIN tests t ON t.id = d.test_id
WHERE t.name = ?3 AND d.day >= ?1 AND d.day < ?2
GROUP BY d.day
ORDER BY d.day;

-- name: ingestHealth
-- Ingests that started in [?1, ?2) (unix seconds): how many, runs and results loaded, problems;
-- the last ingest's status and the runs in the database.
SELECT count(*) AS batches,
       coalesce(sum(runs_new + runs_replaced), 0) AS runs_loaded,
       coalesce(sum(results_loaded), 0) AS results_loaded,
       coalesce(sum(problems), 0) AS problems,
       (SELECT status FROM ingest_batches ORDER BY id DESC LIMIT 1) AS last_status,
       (SELECT count(*) FROM job_runs) AS runs_in_database
FROM ingest_batches
WHERE started_at >= ?1 AND started_at < ?2;

-- name: ingestProblems
-- Problems recorded by ingests that started in [?1, ?2) as unix seconds, oldest first.
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', p.at, 'unixepoch') AS at, p.kind, p.path, p.reason, p.batch_id
FROM ingest_problems p
JOIN ingest_batches b ON b.id = p.batch_id
WHERE b.started_at >= ?1 AND b.started_at < ?2
ORDER BY p.id;
