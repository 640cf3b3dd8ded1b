// Simulation: writes a realistic simulated CI world — a Prow artifact tree and its ground truth —
// so that ingest speed and regression detection can be measured against known answers.
// It must never depend on what it simulates being read back (no Store, no Ingest), and never
// produce different bytes for the same seed and options.
