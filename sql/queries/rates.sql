-- rates.sql: the rates that `cisignal tests | jobs | flaky | components` print and reports read,
-- from the window totals of the last rollup. Rates are percentages from 0 to 100, NULL when there
-- were no runs; times are ISO-8601 UTC. Every query takes the same filters:
--   ?1 component or NULL; ?2 variant filter, a JSON object such as {"platform":"aws"} ('{}' for
--   none); ?3 job name or NULL.

-- name: testRates
-- Per test: current and previous window counts and rates.
WITH scoped AS (
    SELECT w.*
    FROM window_test_totals w
    JOIN jobs j ON j.id = w.job_id
    WHERE (?3 IS NULL OR j.name = ?3)
      AND NOT EXISTS (
          SELECT 1 FROM json_each(?2) f
          WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                            WHERE v.job_id = w.job_id AND v.key = f.key AND v.value = f.value))
),
per_test AS (
    SELECT test_id,
           sum(CASE WHEN window = 'current' THEN runs ELSE 0 END) AS runs,
           sum(CASE WHEN window = 'current' THEN passes ELSE 0 END) AS passes,
           sum(CASE WHEN window = 'current' THEN failures ELSE 0 END) AS failures,
           sum(CASE WHEN window = 'current' THEN flakes ELSE 0 END) AS flakes,
           sum(CASE WHEN window = 'current' THEN skips ELSE 0 END) AS skips,
           sum(CASE WHEN window = 'previous' THEN runs ELSE 0 END) AS previous_runs,
           sum(CASE WHEN window = 'previous' THEN passes ELSE 0 END) AS previous_passes,
           sum(CASE WHEN window = 'previous' THEN failures ELSE 0 END) AS previous_failures,
           sum(CASE WHEN window = 'previous' THEN flakes ELSE 0 END) AS previous_flakes
    FROM scoped
    GROUP BY test_id
)
SELECT t.name, t.classname, c.component, c.owner,
       p.runs, p.passes, p.failures, p.flakes, p.skips,
       100.0 * p.passes / nullif(p.runs, 0) AS pass_pct,
       100.0 * p.failures / nullif(p.runs, 0) AS fail_pct,
       100.0 * p.flakes / nullif(p.runs, 0) AS flake_pct,
       100.0 * (p.passes + p.flakes) / nullif(p.runs, 0) AS working_pct,
       p.previous_runs,
       100.0 * p.previous_passes / nullif(p.previous_runs, 0) AS previous_pass_pct,
       100.0 * p.previous_failures / nullif(p.previous_runs, 0) AS previous_fail_pct,
       100.0 * p.previous_flakes / nullif(p.previous_runs, 0) AS previous_flake_pct,
       100.0 * (p.previous_passes + p.previous_flakes) / nullif(p.previous_runs, 0) AS previous_working_pct
FROM per_test p
JOIN tests t ON t.id = p.test_id
JOIN test_classes c ON c.test_id = p.test_id
WHERE (?1 IS NULL OR c.component = ?1)
  AND (p.runs > 0 OR p.previous_runs > 0 OR p.skips > 0);

-- name: jobRates
-- Per job: runs by result in both windows, infrastructure failures apart. pass_pct counts them
-- as failures; pass_pct_without_infra leaves them out. ?1 is not used: jobs have no component.
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
    JOIN jobs j ON j.id = w.job_id
    WHERE (?3 IS NULL OR j.name = ?3)
      AND NOT EXISTS (
          SELECT 1 FROM json_each(?2) f
          WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                            WHERE v.job_id = w.job_id AND v.key = f.key AND v.value = f.value))
    GROUP BY w.job_id
)
SELECT j.name, c.variants, p.runs, p.succeeded, p.failed, p.infra_failed, p.aborted,
       100.0 * p.succeeded / nullif(p.runs, 0) AS pass_pct,
       100.0 * p.succeeded / nullif(p.runs - p.infra_failed, 0) AS pass_pct_without_infra,
       p.previous_runs,
       100.0 * p.previous_succeeded / nullif(p.previous_runs, 0) AS previous_pass_pct,
       100.0 * p.previous_succeeded / nullif(p.previous_runs - p.previous_infra_failed, 0) AS previous_pass_pct_without_infra
FROM per_job p
JOIN jobs j ON j.id = p.job_id
JOIN job_classes c ON c.job_id = p.job_id;  -- ?1 (component) does not apply to jobs

-- name: flakyTests
-- Tests that flaked in the current window, with their impact: job runs that failed with this
-- test as the only failing one, runs it flaked in, its flake rate, when it flaked first and last,
-- and the payloads in which it failed in some runs and passed in others.
WITH scoped AS (
    SELECT w.*
    FROM window_test_totals w
    JOIN jobs j ON j.id = w.job_id
    WHERE w.window = 'current'
      AND (?3 IS NULL OR j.name = ?3)
      AND NOT EXISTS (
          SELECT 1 FROM json_each(?2) f
          WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                            WHERE v.job_id = w.job_id AND v.key = f.key AND v.value = f.value))
),
per_test AS (
    SELECT test_id, sum(runs) AS runs, sum(flakes) AS flakes, sum(failures) AS failures,
           sum(sole_failures) AS sole_failures, min(first_flake_at) AS first_flake_at,
           max(last_flake_at) AS last_flake_at
    FROM scoped
    GROUP BY test_id
)
SELECT t.name, t.classname, c.component, c.owner, p.sole_failures, p.flakes, p.runs,
       100.0 * p.flakes / nullif(p.runs, 0) AS flake_pct,
       p.failures,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.first_flake_at, 'unixepoch') AS first_flake_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.last_flake_at, 'unixepoch') AS last_flake_at,
       coalesce(f.payloads, 0) AS mixed_payloads
FROM per_test p
JOIN tests t ON t.id = p.test_id
JOIN test_classes c ON c.test_id = p.test_id
LEFT JOIN window_payload_flakes f ON f.window = 'current' AND f.test_id = p.test_id
WHERE (?1 IS NULL OR c.component = ?1)
  AND (p.flakes > 0 OR coalesce(f.payloads, 0) > 0);

-- name: componentRates
-- Per component: the runs of all its tests, by outcome, in both windows.
WITH scoped AS (
    SELECT w.*
    FROM window_test_totals w
    JOIN jobs j ON j.id = w.job_id
    WHERE (?3 IS NULL OR j.name = ?3)
      AND NOT EXISTS (
          SELECT 1 FROM json_each(?2) f
          WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                            WHERE v.job_id = w.job_id AND v.key = f.key AND v.value = f.value))
),
per_component AS (
    SELECT c.component,
           count(DISTINCT s.test_id) AS tests,
           sum(CASE WHEN window = 'current' THEN runs ELSE 0 END) AS runs,
           sum(CASE WHEN window = 'current' THEN passes ELSE 0 END) AS passes,
           sum(CASE WHEN window = 'current' THEN failures ELSE 0 END) AS failures,
           sum(CASE WHEN window = 'current' THEN flakes ELSE 0 END) AS flakes,
           sum(CASE WHEN window = 'previous' THEN runs ELSE 0 END) AS previous_runs,
           sum(CASE WHEN window = 'previous' THEN passes ELSE 0 END) AS previous_passes,
           sum(CASE WHEN window = 'previous' THEN flakes ELSE 0 END) AS previous_flakes
    FROM scoped s
    JOIN test_classes c ON c.test_id = s.test_id
    WHERE ?1 IS NULL OR c.component = ?1
    GROUP BY c.component
)
SELECT component, tests, runs, passes, failures, flakes,
       100.0 * passes / nullif(runs, 0) AS pass_pct,
       100.0 * failures / nullif(runs, 0) AS fail_pct,
       100.0 * flakes / nullif(runs, 0) AS flake_pct,
       100.0 * (passes + flakes) / nullif(runs, 0) AS working_pct,
       previous_runs,
       100.0 * (previous_passes + previous_flakes) / nullif(previous_runs, 0) AS previous_working_pct
FROM per_component;

-- name: variantRates
-- Per test and variant combination (the jobs' full combination of variants), current window.
SELECT t.name, c.component, jc.variants,
       sum(w.runs) AS runs, sum(w.passes) AS passes, sum(w.failures) AS failures, sum(w.flakes) AS flakes,
       100.0 * sum(w.passes) / nullif(sum(w.runs), 0) AS pass_pct,
       100.0 * (sum(w.passes) + sum(w.flakes)) / nullif(sum(w.runs), 0) AS working_pct
FROM window_test_totals w
JOIN jobs j ON j.id = w.job_id
JOIN job_classes jc ON jc.job_id = w.job_id
JOIN tests t ON t.id = w.test_id
JOIN test_classes c ON c.test_id = w.test_id
WHERE w.window = 'current'
  AND (?1 IS NULL OR c.component = ?1)
  AND (?3 IS NULL OR j.name = ?3)
  AND NOT EXISTS (
      SELECT 1 FROM json_each(?2) f
      WHERE NOT EXISTS (SELECT 1 FROM job_variants v
                        WHERE v.job_id = w.job_id AND v.key = f.key AND v.value = f.value))
GROUP BY w.test_id, jc.variants;

-- name: windows
SELECT window, as_of, start_day, end_day FROM rollup_windows;
