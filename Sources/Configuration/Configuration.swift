// Configuration: reads cisignal.yaml — roots, database, report folder, variant and component
// rules, windows, job and test filters — with a built-in default for every setting.
// It must never let a bad file half-apply: one message naming the file, line and key, and nothing runs.
