-- schema.sql: bookkeeping of the schema itself.

-- name: recordMigration
-- ?1 version, ?2 file name inside sql/, ?3 time applied
INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3);
