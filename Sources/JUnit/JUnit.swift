// JUnit: a streaming reader of JUnit XML as real test runners write it.
// It must never hold a whole file in memory, resolve external entities, or touch the network.
