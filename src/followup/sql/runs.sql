-- name: start
INSERT INTO runs (run_id, flow_run_id, started_at, status, as_of)
SELECT coalesce(max(run_id), 0) + 1, $flow_run_id, now()::TIMESTAMP, 'running', $as_of FROM runs
RETURNING run_id;

-- name: finish
UPDATE runs SET
    finished_at = now()::TIMESTAMP,
    status = $status,
    message = $message,
    files_seen = $files_seen,
    files_skipped = $files_skipped,
    files_loaded = (SELECT count(*) FROM files f WHERE f.run_id = $run_id AND f.status = 'loaded'),
    files_rejected = (SELECT count(*) FROM files f WHERE f.run_id = $run_id AND f.status = 'rejected'),
    rows_read = (SELECT coalesce(sum(rows_read), 0) FROM files f WHERE f.run_id = $run_id),
    rows_loaded = (SELECT coalesce(sum(rows_loaded), 0) FROM files f WHERE f.run_id = $run_id),
    rows_quarantined = (SELECT coalesce(sum(rows_quarantined), 0) FROM files f WHERE f.run_id = $run_id),
    rows_duplicate = (SELECT coalesce(sum(rows_duplicate), 0) FROM files f WHERE f.run_id = $run_id)
WHERE run_id = $run_id;

-- name: record_file
INSERT OR REPLACE INTO files VALUES ($file_id, $run_id, $file_name, $sheet, $instrument, $version, $status, $reason,
                          $rows_read, $rows_loaded, $rows_quarantined, $rows_duplicate, now()::TIMESTAMP);

-- name: recent
SELECT run_id, started_at, finished_at, status, files_seen, files_loaded, files_rejected, files_skipped,
       rows_read, rows_loaded, rows_quarantined, rows_duplicate, message
FROM runs ORDER BY run_id DESC LIMIT $limit;

-- name: rejected_files
SELECT file_name, reason FROM files WHERE run_id = $run_id AND status = 'rejected' ORDER BY file_name;

-- name: failed_checks
-- The last run's expectations that failed, for `followup status`.
SELECT file_name, coalesce(sheet, '') AS sheet, check_name, column_name,
       sum(unexpected_count)::BIGINT AS rows_failed, sum(element_count)::BIGINT AS rows_checked
FROM validation_results
WHERE run_id = $run_id AND NOT success
GROUP BY ALL
ORDER BY file_name, sheet, rows_failed DESC;

-- name: checks_count
SELECT count(*), count(*) FILTER (WHERE success) FROM validation_results WHERE run_id = $run_id;

-- name: quarantine_rows
-- Quarantined rows of one run (or of every run when $run_id is NULL), for `followup quarantine`.
SELECT run_id, file_name, coalesce(sheet, '') AS sheet, source_row AS "row", column_name AS "column",
       check_name AS "check", reason
FROM quarantine
WHERE $run_id IS NULL OR run_id = $run_id
ORDER BY run_id, file_name, sheet, source_row, column_name;
