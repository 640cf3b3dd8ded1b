-- 0001_ingest.sql: the normalized schema that `cisignal ingest` loads.
--
-- Conventions:
--   * Times are UTC Unix seconds (INTEGER); NULL means unknown.
--   * Enumerations are lower-case TEXT with a CHECK, so SQL that reads them stays readable. The
--     CHECKs are written as OR chains: `x IN (...)` makes SQLite build a temporary index for every
--     inserted row, which nearly doubled the load time of test_results.
--   * Foreign keys are documented with REFERENCES but not enforced at load time (enforcement costs a
--     lookup per inserted result); the loader deletes dependent rows itself, in one transaction.
--   * test_results has no secondary index: maintaining indexes during a bulk load costs 3-5x.

-- The migrations applied to this database (the version is also in PRAGMA user_version).
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,              -- file name inside sql/
    applied_at INTEGER NOT NULL
);

-- A CI configuration, e.g. periodic-ci-openshift-release-master-nightly-4.18-e2e-aws-ovn-upgrade.
CREATE TABLE jobs (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

-- A release payload (image tag) that job runs test.
CREATE TABLE payloads (
    id  INTEGER PRIMARY KEY,
    tag TEXT    NOT NULL UNIQUE
);

-- The audit row of one `cisignal ingest` invocation.
CREATE TABLE ingest_batches (
    id               INTEGER PRIMARY KEY,
    started_at       INTEGER NOT NULL,
    finished_at      INTEGER,                    -- NULL while running, or when the process died
    roots            TEXT    NOT NULL,           -- JSON array of the roots walked
    status           TEXT    NOT NULL DEFAULT 'running'
                     CHECK (status = 'running' OR status = 'complete' OR status = 'problems' OR status = 'failed' OR status = 'interrupted'),
    runs_new         INTEGER NOT NULL DEFAULT 0,
    runs_replaced    INTEGER NOT NULL DEFAULT 0,
    runs_unchanged   INTEGER NOT NULL DEFAULT 0,
    runs_unfinished  INTEGER NOT NULL DEFAULT 0,
    runs_duplicate   INTEGER NOT NULL DEFAULT 0, -- same job and build id already loaded from elsewhere
    runs_unreadable  INTEGER NOT NULL DEFAULT 0, -- e.g. an archive broken before its finished.json
    results_loaded   INTEGER NOT NULL DEFAULT 0, -- (run, test) rows written
    cases_read       INTEGER NOT NULL DEFAULT 0, -- JUnit test cases read
    problems         INTEGER NOT NULL DEFAULT 0
);

-- One execution of a job. Identified by (job, build id); loaded whole or not at all.
CREATE TABLE job_runs (
    id                 INTEGER PRIMARY KEY,
    job_id             INTEGER NOT NULL REFERENCES jobs (id),
    build_id           TEXT    NOT NULL,
    run_type           TEXT    CHECK (run_type = 'periodic' OR run_type = 'postsubmit' OR run_type = 'presubmit' OR run_type = 'batch'),
    started_at         INTEGER,
    finished_at        INTEGER,
    duration_seconds   INTEGER,
    result             TEXT    CHECK (result = 'success' OR result = 'failure' OR result = 'aborted' OR result = 'error'),
    payload_id         INTEGER REFERENCES payloads (id),
    pr_number          INTEGER,
    refs               TEXT,                     -- JSON: org, repo, base ref and sha, pulls
    revision           TEXT,
    url                TEXT,
    source_path        TEXT    NOT NULL UNIQUE,  -- run directory or archive it was loaded from
    source_fingerprint TEXT    NOT NULL,         -- digest of source_snapshot, or of an archive's size and mtime
    source_snapshot    TEXT,                     -- a run folder's directories and read files with their
                                                 -- mtimes (and sizes): checked with stat alone
    junit_files        INTEGER NOT NULL,         -- JUnit files whose results were loaded
    junit_complete     INTEGER NOT NULL,         -- 0 when a JUnit file of this run had a problem
    test_results       INTEGER NOT NULL,         -- rows in test_results for this run
    batch_id           INTEGER NOT NULL REFERENCES ingest_batches (id),
    UNIQUE (job_id, build_id)
);

-- A suite path as written in JUnit: nested suite names joined with " / ".
CREATE TABLE suites (
    id   INTEGER PRIMARY KEY,
    path TEXT    NOT NULL UNIQUE
);

-- A test, identified by its name and JUnit classname ('' when the file gave none).
CREATE TABLE tests (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    classname TEXT    NOT NULL DEFAULT '',
    UNIQUE (name, classname)
);

-- Failure texts, shared by every result that failed with the same text.
-- digest is a 64-bit hash of text; lookups match on digest and then on text, so a hash collision
-- costs a second row, never a wrong message.
CREATE TABLE failure_messages (
    id     INTEGER PRIMARY KEY,
    digest INTEGER NOT NULL,
    text   TEXT    NOT NULL                      -- capped at a few KB by the loader
);
CREATE INDEX failure_messages_by_digest ON failure_messages (digest);

-- One test in one job run: all its attempts (retries, reruns, repeated cases) folded together.
-- outcome: flake when failures > 0 and passes > 0; fail when failures > 0; pass when passes > 0;
-- otherwise skip.
CREATE TABLE test_results (
    run_id             INTEGER NOT NULL REFERENCES job_runs (id),
    test_id            INTEGER NOT NULL REFERENCES tests (id),
    suite_id           INTEGER NOT NULL REFERENCES suites (id),  -- suite of the first attempt
    passes             INTEGER NOT NULL,
    failures           INTEGER NOT NULL,         -- failed or errored attempts
    skips              INTEGER NOT NULL,
    outcome            TEXT    NOT NULL CHECK (outcome = 'pass' OR outcome = 'fail' OR outcome = 'flake' OR outcome = 'skip'),
    duration_seconds   REAL    NOT NULL,         -- sum over attempts
    failure_message_id INTEGER REFERENCES failure_messages (id),  -- first failure's text
    PRIMARY KEY (run_id, test_id)
) WITHOUT ROWID;

-- The ingest ledger: every source file read for a loaded run. Archive members are named
-- "ARCHIVE!/MEMBER".
CREATE TABLE ingest_sources (
    path       TEXT    NOT NULL PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES job_runs (id),
    size       INTEGER NOT NULL,                 -- bytes as stored (compressed)
    mtime_ns   INTEGER NOT NULL,                 -- modification time, nanoseconds since the epoch
    digest     TEXT    NOT NULL,                 -- CRC-32 of the stored bytes, hex
    kind       TEXT    NOT NULL CHECK (kind = 'archive' OR kind = 'metadata' OR kind = 'junit' OR kind = 'not-junit' OR kind = 'problem'),
    batch_id   INTEGER NOT NULL REFERENCES ingest_batches (id)
);
CREATE INDEX ingest_sources_by_run ON ingest_sources (run_id);

-- Sources seen but not loaded, with the fingerprint they had: until it changes, a later ingest
-- only stats them, and their problems are not recorded again.
CREATE TABLE ingest_skipped_sources (
    path        TEXT    NOT NULL PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    snapshot    TEXT,                            -- as job_runs.source_snapshot
    reason      TEXT    NOT NULL CHECK (reason = 'unfinished' OR reason = 'duplicate' OR reason = 'unreadable'),
    batch_id    INTEGER NOT NULL REFERENCES ingest_batches (id)  -- the batch that last saw it change
);

-- What could not be read, and why. One row per problem per batch.
CREATE TABLE ingest_problems (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES ingest_batches (id),
    path      TEXT    NOT NULL,
    kind      TEXT    NOT NULL,                  -- e.g. corrupt-gzip, malformed-xml, unreadable
    reason    TEXT    NOT NULL,                  -- one line a person can act on
    run_id    INTEGER REFERENCES job_runs (id),  -- the run it belongs to, when known and loaded
    at        INTEGER NOT NULL
);
CREATE INDEX ingest_problems_by_batch ON ingest_problems (batch_id);
