-- rollup.sql: the statements of `cisignal rollup`. See sql/migrations/0002_rollups.sql for the
-- layers (classes → daily totals → window totals).

-- name: dirtyDays
SELECT day FROM rollup_dirty_days ORDER BY day;

-- name: markAllDaysDirty
-- When the classes change (a new configuration), every day's totals are stale.
INSERT OR IGNORE INTO rollup_dirty_days (day)
SELECT DISTINCT day FROM job_runs WHERE day IS NOT NULL;

-- name: clearDirtyDay
-- ?1 day
DELETE FROM rollup_dirty_days WHERE day = ?1;

-- name: testsWithClasses
-- Every test, with the suite it was first seen in and its stored classes (NULL when it has none).
SELECT t.id, t.name, t.classname, coalesce(s.path, ''), c.component, c.owner, c.ignored, c.infrastructure
FROM tests t
LEFT JOIN suites s ON s.id = t.suite_id
LEFT JOIN test_classes c ON c.test_id = t.id;

-- name: upsertTestClass
-- ?1 test, ?2 component, ?3 owner, ?4 ignored, ?5 infrastructure
INSERT INTO test_classes (test_id, component, owner, ignored, infrastructure) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (test_id) DO UPDATE
   SET component = excluded.component, owner = excluded.owner, ignored = excluded.ignored,
       infrastructure = excluded.infrastructure;

-- name: jobsWithClasses
-- Every job with its stored classes (NULL when it has none).
SELECT j.id, j.name, c.kept, c.variants
FROM jobs j LEFT JOIN job_classes c ON c.job_id = j.id;

-- name: upsertJobClass
-- ?1 job, ?2 kept, ?3 variant combination
INSERT INTO job_classes (job_id, kept, variants) VALUES (?1, ?2, ?3)
ON CONFLICT (job_id) DO UPDATE SET kept = excluded.kept, variants = excluded.variants;

-- name: deleteJobVariantsOfJob
-- ?1 job: before its variants are written again (keys may have been renamed or removed).
DELETE FROM job_variants WHERE job_id = ?1;

-- name: upsertJobVariant
-- ?1 job, ?2 key, ?3 value
INSERT INTO job_variants (job_id, key, value) VALUES (?1, ?2, ?3)
ON CONFLICT (job_id, key) DO UPDATE SET value = excluded.value;

-- name: deleteDailyTestTotals
-- ?1 day
DELETE FROM daily_test_totals WHERE day = ?1;

-- name: insertDailyTestTotals
-- ?1 day. Per job and test: the day's job runs by the test's outcome (times and sole failures are
-- added by addDailyFailureDetails). In an infrastructure failure (see the kept_runs view) only the
-- infrastructure tests count, so an install outage shows as install failures, not as a thousand
-- failing tests. Rows are counted per (job, test, outcome) and then pivoted: one count per input
-- row is much cheaper than five conditional sums.
WITH day_runs AS MATERIALIZED (
    SELECT id, job_id, infra FROM kept_runs WHERE day = ?1
),
counts AS (
    SELECT d.job_id, x.test_id, x.outcome, count(*) AS n
    FROM day_runs d
    JOIN test_results x ON x.run_id = d.id
    JOIN test_classes c ON c.test_id = x.test_id
    WHERE c.ignored = 0 AND (NOT d.infra OR c.infrastructure = 1)
    GROUP BY d.job_id, x.test_id, x.outcome
)
INSERT INTO daily_test_totals (
    day, job_id, test_id, runs, passes, failures, flakes, skips, sole_failures,
    first_failure_at, last_failure_at, first_flake_at, last_flake_at
)
SELECT ?1, job_id, test_id,
       sum(CASE WHEN outcome <> 'skip' THEN n ELSE 0 END),
       sum(CASE WHEN outcome = 'pass' THEN n ELSE 0 END),
       sum(CASE WHEN outcome = 'fail' THEN n ELSE 0 END),
       sum(CASE WHEN outcome = 'flake' THEN n ELSE 0 END),
       sum(CASE WHEN outcome = 'skip' THEN n ELSE 0 END),
       0, NULL, NULL, NULL, NULL
FROM counts
GROUP BY job_id, test_id;

-- name: addDailyFailureDetails
-- ?1 day. From the day's failed and flaked results: when each test first and last failed or
-- flaked (a run's start, or its finish when the start is unknown), and in how many failed job runs
-- it was the only failing test (so it alone failed the run). The day's results are scanned once;
-- only the few percent that failed or flaked are grouped. In an infrastructure failure only
-- infrastructure tests have failures, so no filter on it is needed here.
UPDATE daily_test_totals
   SET first_failure_at = f.first_failure_at,
       last_failure_at = f.last_failure_at,
       first_flake_at = f.first_flake_at,
       last_flake_at = f.last_flake_at,
       sole_failures = f.sole_failures
  FROM (
      SELECT job_id, test_id,
             min(at) AS first_failure_at,
             max(at) AS last_failure_at,
             min(CASE WHEN outcome = 'flake' THEN at END) AS first_flake_at,
             max(CASE WHEN outcome = 'flake' THEN at END) AS last_flake_at,
             sum(outcome = 'fail' AND run_failed AND failing_in_run = 1) AS sole_failures
      FROM (
          SELECT r.job_id, x.test_id, x.outcome, r.at,
                 (r.result = 'failure' OR r.result = 'error') AS run_failed,
                 count(*) FILTER (WHERE x.outcome = 'fail') OVER (PARTITION BY r.id) AS failing_in_run
          FROM kept_runs r
          JOIN test_results x ON x.run_id = r.id
          JOIN test_classes c ON c.test_id = x.test_id
          WHERE r.day = ?1 AND (x.outcome = 'fail' OR x.outcome = 'flake') AND c.ignored = 0
      )
      GROUP BY job_id, test_id
  ) AS f
 WHERE daily_test_totals.day = ?1
   AND daily_test_totals.job_id = f.job_id
   AND daily_test_totals.test_id = f.test_id;

-- name: deleteDailyJobTotals
-- ?1 day
DELETE FROM daily_job_totals WHERE day = ?1;

-- name: insertDailyJobTotals
-- ?1 day. Per job: the day's runs by result, infrastructure failures apart (see kept_runs).
INSERT INTO daily_job_totals (day, job_id, runs, succeeded, failed, infra_failed, aborted, unknown)
SELECT ?1, job_id, count(*),
       sum(result = 'success'),
       sum((result = 'failure' OR result = 'error') AND NOT infra),
       sum(infra),
       sum(result = 'aborted'),
       sum(result IS NULL)
FROM kept_runs
WHERE day = ?1
GROUP BY job_id;

-- name: replaceWindow
-- ?1 window, ?2 as-of day, ?3 first day, ?4 day after the last, ?5 time computed
INSERT INTO rollup_windows (window, as_of, start_day, end_day, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (window) DO UPDATE
   SET as_of = excluded.as_of, start_day = excluded.start_day, end_day = excluded.end_day,
       computed_at = excluded.computed_at;

-- name: deleteWindowTestTotals
-- ?1 window
DELETE FROM window_test_totals WHERE window = ?1;

-- name: insertWindowTestTotals
-- ?1 window, ?2 first day, ?3 day after the last
INSERT INTO window_test_totals (
    window, job_id, test_id, runs, passes, failures, flakes, skips, sole_failures,
    first_failure_at, last_failure_at, first_flake_at, last_flake_at
)
SELECT ?1, job_id, test_id, sum(runs), sum(passes), sum(failures), sum(flakes), sum(skips), sum(sole_failures),
       min(first_failure_at), max(last_failure_at), min(first_flake_at), max(last_flake_at)
FROM daily_test_totals
WHERE day >= ?2 AND day < ?3
GROUP BY job_id, test_id;

-- name: deleteWindowJobTotals
-- ?1 window
DELETE FROM window_job_totals WHERE window = ?1;

-- name: insertWindowJobTotals
-- ?1 window, ?2 first day, ?3 day after the last
INSERT INTO window_job_totals (window, job_id, runs, succeeded, failed, infra_failed, aborted, unknown)
SELECT ?1, job_id, sum(runs), sum(succeeded), sum(failed), sum(infra_failed), sum(aborted), sum(unknown)
FROM daily_job_totals
WHERE day >= ?2 AND day < ?3
GROUP BY job_id;

-- name: deleteWindowPayloadFlakes
-- ?1 window
DELETE FROM window_payload_flakes WHERE window = ?1;

-- name: insertWindowPayloadFlakes
-- ?1 window, ?2 first day, ?3 day after the last. For each job and each test that failed in the
-- window: the payloads on which the job's runs of the test both failed and passed (or flaked).
-- Only tests with failures are looked at, a few percent of all, through the (run, test) key.
-- Infrastructure failures are left out, as in the totals.
INSERT INTO window_payload_flakes (window, job_id, test_id, payloads)
SELECT ?1, job_id, test_id, count(*)
FROM (
    SELECT r.job_id, x.test_id
    FROM kept_runs r
    JOIN test_results x ON x.run_id = r.id
    WHERE r.day >= ?2 AND r.day < ?3 AND r.payload_id IS NOT NULL AND NOT r.infra
      AND x.test_id IN (SELECT test_id FROM window_test_totals WHERE window = ?1 AND failures > 0)
    GROUP BY r.job_id, x.test_id, r.payload_id
    HAVING sum(x.outcome = 'fail') > 0 AND sum(x.outcome = 'pass' OR x.outcome = 'flake') > 0
)
GROUP BY job_id, test_id;

-- name: undatedRuns
-- Runs with neither a start nor a finish time: they belong to no day, so no rate counts them.
SELECT count(*) FROM job_runs WHERE day IS NULL;
