-- 010: file_runs without its primary key (run_id, file_id).
-- One run may now handle two copies of the same content (the same bytes under two names): a workbook saved
-- as .csv is rejected, and its correctly named copy in the same inbox is then read and loaded by that run.
-- Each copy's outcome is one row, so (run_id, file_id) is no longer unique; `files` still holds one row per
-- content, its latest state. DuckDB cannot drop a primary key in place, so the table is made again with the
-- same columns in the same order, and its rows copied.
CREATE TABLE file_runs_010 (
    run_id            INTEGER NOT NULL,
    file_id           VARCHAR NOT NULL,
    file_name         VARCHAR NOT NULL,
    action            VARCHAR NOT NULL,   -- loaded | rejected | retried
    reason            VARCHAR,            -- why a file was rejected, and what to do
    rows_read         INTEGER NOT NULL DEFAULT 0,
    rows_loaded       INTEGER NOT NULL DEFAULT 0,
    rows_quarantined  INTEGER NOT NULL DEFAULT 0,
    rows_duplicate    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO file_runs_010
SELECT run_id, file_id, file_name, action, reason, rows_read, rows_loaded, rows_quarantined, rows_duplicate
FROM file_runs;
DROP TABLE file_runs;
ALTER TABLE file_runs_010 RENAME TO file_runs;
