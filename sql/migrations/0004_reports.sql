-- 0004_reports.sql: what the nightly job and `cisignal report` remember between nights.
--
-- payload_verdicts: each payload's aggregation verdict the first time (and the last time) it was
-- judged, so a nightly mails about a newly rejected payload once, not every night.
-- report_history: each report written, so "new since the last report" has a date to count from.

CREATE TABLE payload_verdicts (
    payload          TEXT    NOT NULL PRIMARY KEY,  -- the payload tag
    verdict          TEXT    NOT NULL CHECK (verdict = 'accepted' OR verdict = 'rejected'),
    jobs             INTEGER NOT NULL,              -- jobs with runs on it when judged
    regressed_tests  INTEGER NOT NULL,              -- blocking (job, test) regressions
    first_judged_day TEXT    NOT NULL,              -- as-of day of the first judgement
    judged_day       TEXT    NOT NULL               -- as-of day of the latest judgement
);

CREATE TABLE report_history (
    as_of       TEXT    NOT NULL PRIMARY KEY,       -- the report's day (YYYY-MM-DD)
    folder      TEXT    NOT NULL,                   -- where it was written
    written_at  INTEGER NOT NULL                    -- unix seconds
);
