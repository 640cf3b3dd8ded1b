-- rates.sql: the rates that `cisignal tests | jobs | flaky | components | variants` print and
-- reports read, from the window totals of the last rollup. Rates are percentages from 0 to 100,
-- NULL when there were no runs; a change is current minus previous, in points; times are
-- ISO-8601 UTC. Before a query, the jobs it looks at are put in temp.scoped_jobs
-- (createScopedJobs, clearScopedJobs, fillScopedJobs); ?1 is a component or NULL.

-- name: createScopedJobs
CREATE TEMP TABLE IF NOT EXISTS scoped_jobs (job_id INTEGER PRIMARY KEY);

-- name: createScopedTestWindows
-- The window totals of the jobs in scope, one row per (job, test), both windows side by side:
-- what every per-test query below sums.
CREATE TEMP VIEW IF NOT EXISTS scoped_test_windows AS
SELECT w.job_id, w.test_id,
       sum(CASE WHEN window = 'current' THEN runs ELSE 0 END) AS runs,
       sum(CASE WHEN window = 'current' THEN passes ELSE 0 END) AS passes,
       sum(CASE WHEN window = 'current' THEN failures ELSE 0 END) AS failures,
       sum(CASE WHEN window = 'current' THEN flakes ELSE 0 END) AS flakes,
       sum(CASE WHEN window = 'current' THEN skips ELSE 0 END) AS skips,
       sum(CASE WHEN window = 'previous' THEN runs ELSE 0 END) AS previous_runs,
       sum(CASE WHEN window = 'previous' THEN passes ELSE 0 END) AS previous_passes,
       sum(CASE WHEN window = 'previous' THEN failures ELSE 0 END) AS previous_failures,
       sum(CASE WHEN window = 'previous' THEN flakes ELSE 0 END) AS previous_flakes
FROM window_test_totals w
JOIN temp.scoped_jobs s ON s.job_id = w.job_id
GROUP BY w.job_id, w.test_id;

-- name: clearScopedJobs
DELETE FROM temp.scoped_jobs;

-- name: fillScopedJobs
-- ?1 variant filter, a JSON object such as {"platform":"aws"} ('{}' for none); ?2 job name or NULL.
-- A job is in scope when it has every variant of the filter and, if given, the name.
INSERT INTO temp.scoped_jobs (job_id)
SELECT j.id
FROM jobs j
WHERE (?2 IS NULL OR j.name = ?2)
  AND NOT EXISTS (
      SELECT 1 FROM json_each(?1) f
      WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                        WHERE v.job_id = j.id AND v.key = f.key AND v.value = f.value));

-- name: variantKeys
-- The variant keys jobs were classified with.
SELECT DISTINCT key FROM job_variants ORDER BY key;

-- name: testRates
-- Per test: current and previous window counts and rates. Ordered by fail % (highest first).
WITH per_test AS (
    SELECT test_id, sum(runs) AS runs, sum(passes) AS passes, sum(failures) AS failures,
           sum(flakes) AS flakes, sum(skips) AS skips, sum(previous_runs) AS previous_runs,
           sum(previous_passes) AS previous_passes, sum(previous_failures) AS previous_failures,
           sum(previous_flakes) AS previous_flakes
    FROM temp.scoped_test_windows
    GROUP BY test_id
),
rates AS (
    SELECT p.*,
           100.0 * p.passes / nullif(p.runs, 0) AS pass_pct,
           100.0 * p.failures / nullif(p.runs, 0) AS fail_pct,
           100.0 * p.flakes / nullif(p.runs, 0) AS flake_pct,
           100.0 * (p.passes + p.flakes) / nullif(p.runs, 0) AS working_pct,
           100.0 * p.previous_passes / nullif(p.previous_runs, 0) AS previous_pass_pct,
           100.0 * p.previous_failures / nullif(p.previous_runs, 0) AS previous_fail_pct,
           100.0 * p.previous_flakes / nullif(p.previous_runs, 0) AS previous_flake_pct,
           100.0 * (p.previous_passes + p.previous_flakes) / nullif(p.previous_runs, 0) AS previous_working_pct
    FROM per_test p
)
SELECT t.name, t.classname, c.component, c.owner,
       r.runs, r.passes, r.failures, r.flakes, r.skips,
       r.pass_pct, r.fail_pct, r.flake_pct, r.working_pct,
       r.previous_runs, r.previous_pass_pct, r.previous_fail_pct, r.previous_flake_pct, r.previous_working_pct,
       r.pass_pct - r.previous_pass_pct AS pass_pct_change,
       r.working_pct - r.previous_working_pct AS working_pct_change
FROM rates r
JOIN tests t ON t.id = r.test_id
JOIN test_classes c ON c.test_id = r.test_id
WHERE (?1 IS NULL OR c.component = ?1)
  AND (r.runs > 0 OR r.previous_runs > 0 OR r.skips > 0)
ORDER BY r.fail_pct IS NULL, r.fail_pct DESC, t.name;

-- name: jobRates
-- Per job: runs by result in both windows, infrastructure failures apart. pass_pct counts them
-- as failures; pass_pct_without_infra leaves them out. Ordered by pass % (lowest first).
WITH per_job AS (
    SELECT w.job_id,
           sum(CASE WHEN window = 'current' THEN runs ELSE 0 END) AS runs,
           sum(CASE WHEN window = 'current' THEN succeeded ELSE 0 END) AS succeeded,
           sum(CASE WHEN window = 'current' THEN failed ELSE 0 END) AS failed,
           sum(CASE WHEN window = 'current' THEN infra_failed ELSE 0 END) AS infra_failed,
           sum(CASE WHEN window = 'current' THEN aborted ELSE 0 END) AS aborted,
           sum(CASE WHEN window = 'previous' THEN runs ELSE 0 END) AS previous_runs,
           sum(CASE WHEN window = 'previous' THEN succeeded ELSE 0 END) AS previous_succeeded,
           sum(CASE WHEN window = 'previous' THEN infra_failed ELSE 0 END) AS previous_infra_failed
    FROM window_job_totals w
    JOIN temp.scoped_jobs s ON s.job_id = w.job_id
    GROUP BY w.job_id
),
rates AS (
    SELECT p.*,
           100.0 * p.succeeded / nullif(p.runs, 0) AS pass_pct,
           100.0 * p.succeeded / nullif(p.runs - p.infra_failed, 0) AS pass_pct_without_infra,
           100.0 * p.previous_succeeded / nullif(p.previous_runs, 0) AS previous_pass_pct,
           100.0 * p.previous_succeeded / nullif(p.previous_runs - p.previous_infra_failed, 0) AS previous_pass_pct_without_infra
    FROM per_job p
)
SELECT j.name, c.variants, r.runs, r.succeeded, r.failed, r.infra_failed, r.aborted,
       r.pass_pct, r.pass_pct_without_infra,
       r.previous_runs, r.previous_pass_pct, r.previous_pass_pct_without_infra,
       r.pass_pct - r.previous_pass_pct AS pass_pct_change
FROM rates r
JOIN jobs j ON j.id = r.job_id
JOIN job_classes c ON c.job_id = r.job_id
ORDER BY r.pass_pct IS NULL, r.pass_pct, j.name;

-- name: flakyTests
-- Tests that flaked in the current window (failed and passed in one run), or that failed in some
-- runs and passed in others of the same payload on the same job (mixed_payloads), with their
-- impact: failed job runs in which it was the only failing test (sole_failures). Infrastructure
-- tests are left out (their failures are outages, not flakes). Ordered by impact: sole failures,
-- then flakes, then mixed payloads.
WITH per_test AS (
    SELECT w.test_id, sum(runs) AS runs, sum(flakes) AS flakes, sum(failures) AS failures,
           sum(sole_failures) AS sole_failures, min(first_flake_at) AS first_flake_at,
           max(last_flake_at) AS last_flake_at
    FROM window_test_totals w
    JOIN temp.scoped_jobs s ON s.job_id = w.job_id
    WHERE w.window = 'current'
    GROUP BY w.test_id
),
mixed AS (
    SELECT f.test_id, sum(f.payloads) AS payloads
    FROM window_payload_flakes f
    JOIN temp.scoped_jobs s ON s.job_id = f.job_id
    WHERE f.window = 'current'
    GROUP BY f.test_id
)
SELECT t.name, t.classname, c.component, c.owner, p.sole_failures, p.flakes, p.runs,
       100.0 * p.flakes / nullif(p.runs, 0) AS flake_pct,
       p.failures,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.first_flake_at, 'unixepoch') AS first_flake_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.last_flake_at, 'unixepoch') AS last_flake_at,
       coalesce(m.payloads, 0) AS mixed_payloads
FROM per_test p
JOIN tests t ON t.id = p.test_id
JOIN test_classes c ON c.test_id = p.test_id
LEFT JOIN mixed m ON m.test_id = p.test_id
WHERE (?1 IS NULL OR c.component = ?1)
  AND c.infrastructure = 0
  AND (p.flakes > 0 OR coalesce(m.payloads, 0) > 0)
ORDER BY p.sole_failures DESC, p.flakes DESC, mixed_payloads DESC, t.name;

-- name: componentRates
-- Per component: the runs of all its tests, by outcome, in both windows. Ordered by working %
-- (lowest first).
WITH per_component AS (
    SELECT c.component, count(DISTINCT w.test_id) AS tests,
           sum(runs) AS runs, sum(passes) AS passes, sum(failures) AS failures, sum(flakes) AS flakes,
           sum(previous_runs) AS previous_runs, sum(previous_passes) AS previous_passes,
           sum(previous_flakes) AS previous_flakes
    FROM temp.scoped_test_windows w
    JOIN test_classes c ON c.test_id = w.test_id
    WHERE ?1 IS NULL OR c.component = ?1
    GROUP BY c.component
),
rates AS (
    SELECT p.*,
           100.0 * p.passes / nullif(p.runs, 0) AS pass_pct,
           100.0 * p.failures / nullif(p.runs, 0) AS fail_pct,
           100.0 * p.flakes / nullif(p.runs, 0) AS flake_pct,
           100.0 * (p.passes + p.flakes) / nullif(p.runs, 0) AS working_pct,
           100.0 * (p.previous_passes + p.previous_flakes) / nullif(p.previous_runs, 0) AS previous_working_pct
    FROM per_component p
)
SELECT component, tests, runs, passes, failures, flakes, pass_pct, fail_pct, flake_pct, working_pct,
       previous_runs, previous_working_pct, working_pct - previous_working_pct AS working_pct_change
FROM rates
ORDER BY working_pct IS NULL, working_pct, component;

-- name: variantRates
-- Per test and variant combination (the jobs' full combination of variants), both windows.
-- Ordered by working % (lowest first).
WITH per_cell AS (
    SELECT w.test_id, jc.variants,
           sum(runs) AS runs, sum(passes) AS passes, sum(failures) AS failures, sum(flakes) AS flakes,
           sum(previous_runs) AS previous_runs, sum(previous_passes) AS previous_passes,
           sum(previous_flakes) AS previous_flakes
    FROM temp.scoped_test_windows w
    JOIN job_classes jc ON jc.job_id = w.job_id
    GROUP BY w.test_id, jc.variants
),
rates AS (
    SELECT p.*,
           100.0 * p.passes / nullif(p.runs, 0) AS pass_pct,
           100.0 * (p.passes + p.flakes) / nullif(p.runs, 0) AS working_pct,
           100.0 * (p.previous_passes + p.previous_flakes) / nullif(p.previous_runs, 0) AS previous_working_pct
    FROM per_cell p
)
SELECT t.name, c.component, r.variants, r.runs, r.passes, r.failures, r.flakes, r.pass_pct, r.working_pct,
       r.previous_runs, r.previous_working_pct, r.working_pct - r.previous_working_pct AS working_pct_change
FROM rates r
JOIN tests t ON t.id = r.test_id
JOIN test_classes c ON c.test_id = r.test_id
WHERE (?1 IS NULL OR c.component = ?1) AND (r.runs > 0 OR r.previous_runs > 0)
ORDER BY r.working_pct IS NULL, r.working_pct, t.name, r.variants;

-- name: windows
SELECT window, as_of, start_day, end_day FROM rollup_windows;

-- name: dirtyDayCount
-- Days changed by ingests since the last rollup.
SELECT count(*) FROM rollup_dirty_days;
