// Ingest: turns artifact trees into loaded job runs: walk, read metadata, parse JUnit, fold attempts,
// and hand each run to the Store in one transaction. It must never half-load a run.
