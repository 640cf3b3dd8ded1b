-- readiness.sql: component readiness (`cisignal readiness`): per component, test and variant cell,
-- the sample window against the basis window, from the rollup's daily totals. Before a query the
-- cell of each kept job is put in temp.readiness_cells (the values of the chosen columns).

-- name: createCells
CREATE TEMP TABLE IF NOT EXISTS readiness_cells (job_id INTEGER PRIMARY KEY, cell TEXT NOT NULL);

-- name: clearCells
DELETE FROM temp.readiness_cells;

-- name: insertCell
-- ?1 job id, ?2 cell
INSERT INTO temp.readiness_cells (job_id, cell) VALUES (?1, ?2);

-- name: keptJobVariants
-- Every kept job that tests payloads (presubmits test unmerged changes, not the product), with its
-- variants, for building cells.
SELECT c.job_id, v.key, v.value
FROM job_classes c JOIN job_variants v ON v.job_id = c.job_id
WHERE c.kept = 1
  AND EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = c.job_id AND r.payload_id IS NOT NULL);

-- name: cellCounts
-- ?1 sample first day, ?2 sample end (excluded), ?3 basis first day, ?4 basis end (excluded),
-- ?5 1 when flakes count as passes (the test worked in the end; the default), 0 as failures.
-- Per component, test and cell: runs and passes in each window, and the failures of the sample.
-- Infrastructure tests are not readiness.
SELECT c.component, d.test_id, t.name, rc.cell,
       sum(CASE WHEN d.day >= ?1 AND d.day < ?2 THEN d.runs ELSE 0 END) AS sample_runs,
       sum(CASE WHEN d.day >= ?1 AND d.day < ?2 THEN d.passes + ?5 * d.flakes ELSE 0 END) AS sample_passes,
       sum(CASE WHEN d.day >= ?1 AND d.day < ?2 THEN d.failures + (1 - ?5) * d.flakes ELSE 0 END) AS sample_failures,
       sum(CASE WHEN d.day >= ?3 AND d.day < ?4 THEN d.runs ELSE 0 END) AS basis_runs,
       sum(CASE WHEN d.day >= ?3 AND d.day < ?4 THEN d.passes + ?5 * d.flakes ELSE 0 END) AS basis_passes,
       max(CASE WHEN d.day >= ?1 AND d.day < ?2 THEN d.last_failure_at END) AS last_failure_at
FROM daily_test_totals d
JOIN temp.readiness_cells rc ON rc.job_id = d.job_id
JOIN test_classes c ON c.test_id = d.test_id
JOIN tests t ON t.id = d.test_id
WHERE ((d.day >= ?1 AND d.day < ?2) OR (d.day >= ?3 AND d.day < ?4))
  AND c.infrastructure = 0
GROUP BY d.test_id, rc.cell;

-- name: openRegressions
SELECT id, test_id, cell, worst_pass_pct, basis_pass_pct FROM regressions WHERE status = 'open';

-- name: openColumnSets
-- The column sets open regressions were recorded with.
SELECT DISTINCT columns FROM regressions WHERE status = 'open';

-- name: lastRecordedDay
-- The latest day a readiness recorded anything on.
SELECT max(max(opened_day, last_seen_day, coalesce(closed_day, ''))) FROM regressions;

-- name: insertRegression
-- ?1 test, ?2 component, ?3 cell, ?4 day, ?5 first bad payload, ?6 last good payload,
-- ?7 last failure, ?8 sample pass %, ?9 basis pass %, ?10 p, ?11 failing runs JSON, ?12 columns
INSERT INTO regressions (test_id, component, cell, columns, status, opened_day, opened_payload, last_good_payload,
                         last_seen_day, last_failure_at, worst_pass_pct, basis_pass_pct, last_p_value, failing_runs)
VALUES (?1, ?2, ?3, ?12, 'open', ?4, ?5, ?6, ?4, ?7, ?8, ?9, ?10, ?11);

-- name: keepRegressionOpen
-- ?1 id, ?2 day, ?3 last failure, ?4 sample pass %, ?5 p, ?6 failing runs JSON
UPDATE regressions
   SET last_seen_day = ?2, last_failure_at = coalesce(?3, last_failure_at),
       worst_pass_pct = min(worst_pass_pct, ?4), last_p_value = ?5, failing_runs = ?6
 WHERE id = ?1;

-- name: closeRegression
-- ?1 id, ?2 day, ?3 newest payload
UPDATE regressions SET status = 'closed', closed_day = ?2, closed_payload = ?3 WHERE id = ?1;

-- name: regressionRows
-- Every regression open, or closed on ?1 (the day of the readiness), for the report.
SELECT r.id, t.name, r.component, r.cell, r.status, r.opened_day, r.opened_payload, r.last_good_payload,
       r.last_seen_day, strftime('%Y-%m-%dT%H:%M:%SZ', r.last_failure_at, 'unixepoch'), r.closed_day,
       r.closed_payload, r.worst_pass_pct, r.basis_pass_pct, r.last_p_value, r.failing_runs
FROM regressions r JOIN tests t ON t.id = r.test_id
WHERE r.status = 'open' OR r.closed_day = ?1
ORDER BY r.status DESC, r.component, t.name, r.cell;

-- name: payloadCounts
-- ?1 test, ?2 first day, ?3 day after the last. The test's runs and clean passes per payload in
-- the jobs of the cell (temp.cell_jobs), payloads in the order they first ran: the series a
-- changepoint is found in. A flake counts as a failure here, whatever readiness counts: a failed
-- attempt is the first sign of a regression. Nothing after the readiness's as-of day is read.
SELECT p.tag, min(coalesce(r.started_at, r.finished_at)) AS first_run,
       sum(x.outcome <> 'skip') AS runs, sum(x.outcome = 'pass') AS passes
FROM job_runs r
JOIN temp.cell_jobs cj ON cj.job_id = r.job_id
JOIN payloads p ON p.id = r.payload_id
JOIN test_results x ON x.run_id = r.id AND x.test_id = ?1
WHERE r.day >= ?2 AND r.day < ?3
GROUP BY p.id
HAVING sum(x.outcome <> 'skip') > 0
ORDER BY first_run, p.tag;

-- name: createCellJobs
CREATE TEMP TABLE IF NOT EXISTS cell_jobs (job_id INTEGER PRIMARY KEY);

-- name: clearCellJobs
DELETE FROM temp.cell_jobs;

-- name: insertCellJob
INSERT INTO temp.cell_jobs (job_id) VALUES (?1);

-- name: failingRuns
-- ?1 test, ?2 first day, ?3 day after the last: URLs (or build ids) of the newest runs of the test
-- in the cell's jobs in which it failed — finally, or before a retry passed (a flake counts, as in
-- payloadCounts: a failed attempt is what readiness's default counts, and what a person opens).
SELECT coalesce(r.url, j.name || '/' || r.build_id)
FROM job_runs r
JOIN temp.cell_jobs cj ON cj.job_id = r.job_id
JOIN jobs j ON j.id = r.job_id
JOIN test_results x ON x.run_id = r.id AND x.test_id = ?1
WHERE r.day >= ?2 AND r.day < ?3 AND x.outcome IN ('fail', 'flake')
ORDER BY coalesce(r.started_at, r.finished_at) DESC
LIMIT 10;
