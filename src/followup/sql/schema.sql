-- Statements the gateway runs about the warehouse itself: migrations, the key's fingerprint, files seen.

-- name: create_schema_version
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- name: applied_versions
SELECT version FROM schema_version;

-- name: record_version
INSERT INTO schema_version VALUES ($version, $migration, now()::TIMESTAMP);

-- name: key_fingerprint
SELECT value FROM meta WHERE key = 'key_fingerprint';

-- name: set_key_fingerprint
INSERT INTO meta VALUES ('key_fingerprint', $fingerprint);

-- name: loaded_files
SELECT file_id FROM files WHERE status = 'loaded';

-- name: meta_value
SELECT value FROM meta WHERE key = $key;

-- name: set_meta
INSERT OR REPLACE INTO meta VALUES ($key, $value);
