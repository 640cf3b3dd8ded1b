-- 0004_reports.sql: what the nightly job and `cisignal report` remember between nights.
--
-- payload_verdicts: each payload's aggregation verdict the first time (and the last time) it was
-- judged, and whether a nightly digest has told anyone it was rejected: so a nightly mails about a
-- rejected payload once, not every night, and never misses one a `cisignal report` recorded first.
-- regression_notices: the regressions a nightly digest has announced, for the same reason.
-- report_history: each report written, so "new since the last report" has a date to count from.

CREATE TABLE payload_verdicts (
    payload          TEXT    NOT NULL PRIMARY KEY,  -- the payload tag
    verdict          TEXT    NOT NULL CHECK (verdict = 'accepted' OR verdict = 'rejected' OR verdict = 'not-judged'),
    jobs             INTEGER NOT NULL,              -- jobs with runs on it when judged
    regressed_tests  INTEGER NOT NULL,              -- blocking (job, test) regressions
    first_judged_day TEXT    NOT NULL,              -- as-of day of the first judgement
    judged_day       TEXT    NOT NULL,              -- as-of day of the latest judgement
    notified         INTEGER NOT NULL DEFAULT 0     -- 1 once a digest announced it rejected
);

CREATE TABLE regression_notices (
    regression_id INTEGER NOT NULL PRIMARY KEY REFERENCES regressions (id),
    notified_day  TEXT    NOT NULL                  -- as-of day of the digest that announced it
);

CREATE TABLE report_history (
    as_of       TEXT    NOT NULL PRIMARY KEY,       -- the report's day (YYYY-MM-DD)
    folder      TEXT    NOT NULL,                   -- where it was written
    written_at  INTEGER NOT NULL                    -- unix seconds
);
