-- run_log: one row per file a run handled (loaded, rejected, or its quarantined rows retried), with that
-- run's counts for the file (rows_read = rows_loaded + rows_quarantined + rows_duplicate) and the run's outcome.
CREATE OR REPLACE VIEW run_log AS
SELECT
    fr.run_id,
    r.started_at,
    r.status AS run_status,
    fr.file_name,
    f.instrument,
    f.version,
    fr.action,
    fr.reason,
    fr.rows_read,
    fr.rows_loaded,
    fr.rows_quarantined,
    fr.rows_duplicate,
    f.stored_as
FROM file_runs AS fr
JOIN runs AS r ON r.run_id = fr.run_id
LEFT JOIN files AS f ON f.file_id = fr.file_id;
