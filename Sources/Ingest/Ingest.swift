// Ingest: turns artifact trees into loaded job runs — walk, read metadata, read JUnit, fold each
// test's attempts, and hand each finished run to the Store in one transaction.
// It must never half-load a JUnit file or a run, and never stop the whole ingest for one bad file.
