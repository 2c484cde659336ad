-- run_log: one row per file a run handled — loaded or rejected — with its counts and the run's outcome.
CREATE OR REPLACE VIEW run_log AS
SELECT
    f.run_id,
    r.started_at,
    r.status AS run_status,
    f.file_name,
    f.instrument,
    f.version,
    f.status AS file_status,
    f.reason,
    f.rows_read,
    f.rows_loaded,
    f.rows_quarantined,
    f.rows_duplicate
FROM files AS f
JOIN runs AS r ON r.run_id = f.run_id;
