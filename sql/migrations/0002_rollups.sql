-- 0002_rollups.sql: per-day totals and window rates, computed by `cisignal rollup`.
--
-- The rollup works in three layers, each small enough to recompute cheaply:
--   1. classes: what the configuration says of each test and job (component, owner, ignored,
--      infrastructure; variants, kept). Written by the rollup from cisignal.yaml; when a stored
--      class changes (a new configuration), every day's totals are recomputed.
--   2. daily totals per (day, job, test) and (day, job): recomputed only for the days that new,
--      replaced or removed runs touched (rollup_dirty_days, kept by triggers on job_runs).
--   3. window totals for the current and previous windows, summed from the daily totals.
-- A run's day is the UTC date it started (or finished, when its start is unknown).

-- The UTC day of a run, for grouping and for the index that finds a day's runs.
ALTER TABLE job_runs ADD COLUMN day TEXT
    GENERATED ALWAYS AS (date(coalesce(started_at, finished_at), 'unixepoch')) VIRTUAL;

-- The suite a test was first seen in, for component rules that match on suites.
ALTER TABLE tests ADD COLUMN suite_id INTEGER REFERENCES suites (id);

-- Tests loaded before this migration: the suite of their first result (one pass over the results;
-- with min(), SQLite takes suite_id from the row holding the minimum).
UPDATE tests
   SET suite_id = first.suite_id
  FROM (SELECT test_id, suite_id, min(run_id) FROM test_results GROUP BY test_id) AS first
 WHERE first.test_id = tests.id;

-- A day's runs with what the daily rollup reads of them, without touching the table.
CREATE INDEX job_runs_by_day ON job_runs (day, job_id, id, result, payload_id, started_at, finished_at, junit_complete);

-- Days whose daily totals must be recomputed.
CREATE TABLE rollup_dirty_days (
    day TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

CREATE TRIGGER job_runs_mark_new_day AFTER INSERT ON job_runs
WHEN NEW.day IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO rollup_dirty_days (day) VALUES (NEW.day);
END;

CREATE TRIGGER job_runs_mark_changed_days AFTER UPDATE ON job_runs
BEGIN
    INSERT OR IGNORE INTO rollup_dirty_days (day) SELECT OLD.day WHERE OLD.day IS NOT NULL;
    INSERT OR IGNORE INTO rollup_dirty_days (day) SELECT NEW.day WHERE NEW.day IS NOT NULL;
END;

CREATE TRIGGER job_runs_mark_removed_day AFTER DELETE ON job_runs
WHEN OLD.day IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO rollup_dirty_days (day) VALUES (OLD.day);
END;

-- What the configuration says of each test.
CREATE TABLE test_classes (
    test_id        INTEGER NOT NULL PRIMARY KEY REFERENCES tests (id),
    component      TEXT    NOT NULL,             -- e.g. sig-network, or the configured "unowned"
    owner          TEXT    NOT NULL DEFAULT '',  -- owning team, '' when unknown
    ignored        INTEGER NOT NULL DEFAULT 0,   -- matched tests.ignore: left out of every rate
    infrastructure INTEGER NOT NULL DEFAULT 0    -- matched tests.infrastructure: install health only
);

-- What the configuration says of each job.
CREATE TABLE job_classes (
    job_id  INTEGER NOT NULL PRIMARY KEY REFERENCES jobs (id),
    kept    INTEGER NOT NULL,                    -- passes jobs.include / jobs.exclude
    variants TEXT   NOT NULL                     -- the variant combination, e.g. "4.18 aws ovn amd64 upgrade ha"
);

-- One row per variant of each job, e.g. (job, 'platform', 'aws'); '' when unknown.
CREATE TABLE job_variants (
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    key    TEXT    NOT NULL,
    value  TEXT    NOT NULL,
    PRIMARY KEY (job_id, key)
) WITHOUT ROWID;

-- Each run of a kept job with whether it was an infrastructure failure: it failed (or errored),
-- all its JUnit was read, and no test but the infrastructure ones (install steps) passed, failed
-- or flaked in it. (A run whose JUnit could not be read whole ran its tests; their results are
-- missing, which is not an infrastructure failure.) Filter it by day: the index on job_runs.day
-- is used through the view.
CREATE VIEW kept_runs AS
SELECT r.id, r.job_id, r.day, r.result, r.payload_id,
       coalesce(r.started_at, r.finished_at) AS at,
       (r.result = 'failure' OR r.result = 'error') AND r.junit_complete = 1 AND NOT EXISTS (
           SELECT 1
           FROM test_results x JOIN test_classes c ON c.test_id = x.test_id
           WHERE x.run_id = r.id AND c.infrastructure = 0 AND c.ignored = 0 AND x.outcome <> 'skip'
       ) AS infra
FROM job_runs r
JOIN job_classes j ON j.job_id = r.job_id AND j.kept = 1;

-- Per day, job and test: job runs by the test's outcome in them. Runs that were infrastructure
-- failures, ignored tests and jobs filtered out are not counted.
CREATE TABLE daily_test_totals (
    day               TEXT    NOT NULL,
    job_id            INTEGER NOT NULL,
    test_id           INTEGER NOT NULL,
    runs              INTEGER NOT NULL,          -- pass + fail + flake (skips are not runs)
    passes            INTEGER NOT NULL,
    failures          INTEGER NOT NULL,
    flakes            INTEGER NOT NULL,
    skips             INTEGER NOT NULL,
    sole_failures     INTEGER NOT NULL,          -- failed job runs in which this was the only failing test
    first_failure_at  INTEGER,                   -- first and last start of a run where it failed or flaked
    last_failure_at   INTEGER,
    first_flake_at    INTEGER,                   -- first and last start of a run where it flaked
    last_flake_at     INTEGER,
    PRIMARY KEY (day, job_id, test_id)
) WITHOUT ROWID;

-- Per day and job: runs by result, with infrastructure failures apart.
CREATE TABLE daily_job_totals (
    day           TEXT    NOT NULL,
    job_id        INTEGER NOT NULL,
    runs          INTEGER NOT NULL,
    succeeded     INTEGER NOT NULL,
    failed        INTEGER NOT NULL,              -- failure or error, not counting infra failures
    infra_failed  INTEGER NOT NULL,              -- failed before any test beyond the install ran
    aborted       INTEGER NOT NULL,
    unknown       INTEGER NOT NULL,              -- no result known
    PRIMARY KEY (day, job_id)
) WITHOUT ROWID;

-- The windows of the last rollup.
CREATE TABLE rollup_windows (
    window     TEXT    NOT NULL PRIMARY KEY CHECK (window = 'current' OR window = 'previous'),
    as_of      TEXT    NOT NULL,                 -- the last day of the current window
    start_day  TEXT    NOT NULL,                 -- first day, included
    end_day    TEXT    NOT NULL,                 -- day after the last, excluded
    computed_at INTEGER NOT NULL
);

-- Window totals per job and test (the other scopes are sums of these: see the views in
-- sql/queries/rates.sql).
CREATE TABLE window_test_totals (
    window           TEXT    NOT NULL,
    job_id           INTEGER NOT NULL,
    test_id          INTEGER NOT NULL,
    runs             INTEGER NOT NULL,
    passes           INTEGER NOT NULL,
    failures         INTEGER NOT NULL,
    flakes           INTEGER NOT NULL,
    skips            INTEGER NOT NULL,
    sole_failures    INTEGER NOT NULL,
    first_failure_at INTEGER,
    last_failure_at  INTEGER,
    first_flake_at   INTEGER,
    last_flake_at    INTEGER,
    PRIMARY KEY (window, job_id, test_id)
) WITHOUT ROWID;

-- Window totals per job.
CREATE TABLE window_job_totals (
    window       TEXT    NOT NULL,
    job_id       INTEGER NOT NULL,
    runs         INTEGER NOT NULL,
    succeeded    INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    infra_failed INTEGER NOT NULL,
    aborted      INTEGER NOT NULL,
    unknown      INTEGER NOT NULL,
    PRIMARY KEY (window, job_id)
) WITHOUT ROWID;

-- Window: per job and test, the payloads on which the job's runs of the test both failed and
-- passed (in different runs of the same payload, on the same job: the same code, the same
-- configuration, different results).
CREATE TABLE window_payload_flakes (
    window    TEXT    NOT NULL,
    job_id    INTEGER NOT NULL,
    test_id   INTEGER NOT NULL,
    payloads  INTEGER NOT NULL,
    PRIMARY KEY (window, job_id, test_id)
) WITHOUT ROWID;

-- Runs loaded before this migration have no dirty-day marks: mark their days, so the first
-- rollup computes them.
INSERT OR IGNORE INTO rollup_dirty_days (day)
SELECT DISTINCT day FROM job_runs WHERE day IS NOT NULL;
