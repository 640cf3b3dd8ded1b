-- 0003_regressions.sql: regressions found by `cisignal readiness`, tracked over nights.
--
-- A regression is one test in one variant cell (the values of the readiness columns, e.g.
-- "platform=aws network=ovn"). It opens when the sample window is significantly worse than the
-- basis, stays open while the evidence has not clearly recovered (a looser bar: hysteresis), and
-- closes then. Rows are never deleted: a closed regression is history.

CREATE TABLE regressions (
    id               INTEGER PRIMARY KEY,
    test_id          INTEGER NOT NULL REFERENCES tests (id),
    component        TEXT    NOT NULL,
    cell             TEXT    NOT NULL,           -- e.g. "platform=aws network=ovn"
    columns          TEXT    NOT NULL,           -- the variant keys cells were made of, e.g. "platform,network"
    status           TEXT    NOT NULL CHECK (status = 'open' OR status = 'closed'),
    opened_day       TEXT    NOT NULL,           -- the as-of day of the readiness that opened it
    opened_payload   TEXT,                       -- the first bad payload found then (revert window)
    last_good_payload TEXT,                      -- the last healthy payload before it
    last_seen_day    TEXT    NOT NULL,           -- the last readiness that kept it open
    last_failure_at  INTEGER,                    -- the last failed run of the test in the cell
    closed_day       TEXT,
    closed_payload   TEXT,                       -- the newest payload of the readiness that closed it
    worst_pass_pct   REAL    NOT NULL,           -- lowest sample pass % while open
    basis_pass_pct   REAL    NOT NULL,
    last_p_value     REAL    NOT NULL,
    failing_runs     TEXT    NOT NULL DEFAULT '[]'  -- JSON array of URLs (or build ids) of failed runs
);
CREATE INDEX regressions_by_cell ON regressions (test_id, cell, status);
-- A test in a cell has at most one open regression.
CREATE UNIQUE INDEX regressions_open_once ON regressions (test_id, cell) WHERE status = 'open';
