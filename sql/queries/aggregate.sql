-- aggregate.sql: job aggregation for one payload (`cisignal aggregate`): each job's runs on the
-- payload against the same job's history.

-- name: payloadJobs
-- ?1 payload tag. The jobs with finished runs on the payload, the runs, and the first day any of
-- them ran (the basis ends there).
SELECT j.id, j.name, count(*) AS runs, min(r.day) AS first_day
FROM job_runs r
JOIN jobs j ON j.id = r.job_id
JOIN payloads p ON p.id = r.payload_id
WHERE p.tag = ?1 AND r.day IS NOT NULL
GROUP BY j.id
ORDER BY j.name;

-- name: sampleCounts
-- ?1 payload tag, ?2 job id. Per test: the runs it ran in (attempts = pass + fail + flake), by
-- outcome, and the runs it only skipped in.
SELECT t.id, t.name,
       sum(x.outcome <> 'skip') AS attempts,
       sum(x.outcome = 'pass') AS passes,
       sum(x.outcome = 'flake') AS flakes,
       sum(x.outcome = 'fail') AS failures,
       sum(x.outcome = 'skip') AS skips
FROM job_runs r
JOIN payloads p ON p.id = r.payload_id
JOIN test_results x ON x.run_id = r.id
JOIN tests t ON t.id = x.test_id
WHERE p.tag = ?1 AND r.job_id = ?2
GROUP BY x.test_id;

-- name: basisCounts
-- ?1 job id, ?2 first day, ?3 day after the last, ?4 payload tag (its runs are never basis).
-- Per test: the job's history in those days, by outcome.
SELECT x.test_id,
       sum(x.outcome <> 'skip') AS attempts,
       sum(x.outcome = 'pass') AS passes,
       sum(x.outcome = 'flake') AS flakes,
       sum(x.outcome = 'fail') AS failures
FROM job_runs r
JOIN test_results x ON x.run_id = r.id
WHERE r.job_id = ?1 AND r.day >= ?2 AND r.day < ?3
  AND (r.payload_id IS NULL OR r.payload_id <> (SELECT id FROM payloads WHERE tag = ?4))
GROUP BY x.test_id;
