// Nightly: the whole nightly job in one call — ingest → rollup → readiness and regressions →
// payload verdicts → report — with one log and one lock, and a short digest of what changed.
// It must never decide anything the stages decide (rates, statistics, rendering): it sequences
// them, times them and says what happened. Never two at once: a second run fails at once.
