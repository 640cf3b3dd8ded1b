// Store: the SQLite database of CISignal — opening it, applying the migrations in sql/, and loading
// job runs into it, each in one transaction.
// It must never hold SQL that belongs in sql/, or leave a run partly written.
