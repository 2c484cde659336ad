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
    files_loaded = (SELECT count(*) FROM file_runs f WHERE f.run_id = $run_id AND f.action = 'loaded'),
    files_rejected = (SELECT count(*) FROM file_runs f WHERE f.run_id = $run_id AND f.action = 'rejected'),
    rows_read = (SELECT coalesce(sum(rows_read), 0) FROM file_runs f WHERE f.run_id = $run_id),
    rows_loaded = (SELECT coalesce(sum(rows_loaded), 0) FROM file_runs f WHERE f.run_id = $run_id),
    rows_quarantined = (SELECT coalesce(sum(rows_quarantined), 0) FROM file_runs f WHERE f.run_id = $run_id),
    rows_duplicate = (SELECT coalesce(sum(rows_duplicate), 0) FROM file_runs f WHERE f.run_id = $run_id)
WHERE run_id = $run_id;

-- name: file_run
-- What this run did with one file (loaded, rejected or retried), with this run's counts.
INSERT INTO file_runs VALUES ($run_id, $file_id, $file_name, $action, $reason,
                              $rows_read, $rows_loaded, $rows_quarantined, $rows_duplicate);

-- name: file_state
-- The file's current state after it was loaded or rejected.
INSERT OR REPLACE INTO files (file_id, run_id, file_name, sheet, instrument, version, status, reason,
                              rows_read, rows_loaded, rows_quarantined, rows_duplicate, loaded_at)
VALUES ($file_id, $run_id, $file_name, $sheet, $instrument, $version, $status, $reason,
        $rows_read, $rows_loaded, $rows_quarantined, $rows_duplicate, now()::TIMESTAMP);

-- name: file_retried
-- Its quarantined rows were validated again: some are loaded or duplicates now, the rest quarantined again.
UPDATE files SET
    rows_loaded = rows_loaded + $rows_loaded,
    rows_quarantined = rows_quarantined - $rows_read + $rows_quarantined,
    rows_duplicate = rows_duplicate + $rows_duplicate
WHERE file_id = $file_id;

-- name: mark_retried
-- The file's quarantined rows from earlier runs are being validated again by this run.
UPDATE quarantine SET retried_in_run = $run_id
WHERE file_id = $file_id AND retried_in_run IS NULL AND run_id < $run_id;

-- name: file_stored
UPDATE files SET stored_as = $stored_as WHERE file_id = $file_id;

-- name: waiting_in_quarantine
-- Loaded files with rows quarantined by earlier runs and not yet retried: where the file is kept, and which
-- rows (sheet, row) to validate again.
SELECT q.file_id, f.file_name, f.stored_as, q.sheet, list(DISTINCT q.source_row ORDER BY q.source_row) AS rows
FROM quarantine AS q
JOIN files AS f USING (file_id)
WHERE q.retried_in_run IS NULL AND q.run_id < $run_id AND f.status = 'loaded'
GROUP BY ALL
ORDER BY f.file_name, q.file_id, q.sheet;

-- name: recent
SELECT run_id, started_at, finished_at, status, files_seen, files_loaded, files_rejected, files_skipped,
       rows_read, rows_loaded, rows_quarantined, rows_duplicate, message
FROM runs ORDER BY run_id DESC LIMIT $limit;

-- name: rejected_files
SELECT file_name, reason FROM file_runs WHERE run_id = $run_id AND action = 'rejected' ORDER BY file_name;

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
-- Quarantined rows for `followup quarantine`: of one run, or of every run ($run_id NULL); $waiting keeps only
-- rows not validated again since (retried rows were then loaded or quarantined again under a later run).
SELECT run_id, file_name, coalesce(sheet, '') AS sheet, source_row AS "row", column_name AS "column",
       check_name AS "check", reason, retried_in_run
FROM quarantine
WHERE ($run_id IS NULL OR run_id = $run_id) AND (NOT $waiting OR retried_in_run IS NULL)
ORDER BY run_id, file_name, sheet, source_row, column_name;

-- name: shared_waves
-- Forms that share their graduate, instrument and wave with another form (loaded, not quarantined): where each
-- came from, and which one the result tables use (the latest: her state at the end of the wave).
SELECT f.file_name, r.source_sheet AS sheet, r.source_row AS row, r.instrument, r.wave, r.months_since_exit,
       row_number() OVER (PARTITION BY r.graduate_id, r.instrument, r.wave
                          ORDER BY r.answered_month DESC, r.run_id DESC, r.source_row DESC) = 1 AS used,
       dense_rank() OVER (ORDER BY r.graduate_id, r.instrument, r.wave) AS pair
FROM responses AS r
JOIN files AS f USING (file_id)
WHERE r.kind <> 'baseline' AND r.wave IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY r.graduate_id, r.instrument, r.wave) > 1
ORDER BY pair, used DESC, f.file_name, r.source_row;
