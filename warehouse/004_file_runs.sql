-- 004: what each run did with each file, where the file was put, and quarantined rows tried again.
-- * file_runs: one row per file per run that did something with it (loaded, rejected, or its
--   quarantined rows retried), with that run's counts: rows read = loaded + quarantined + duplicates.
--   Run totals are summed from here. `files` keeps each file's current state and running totals.
-- * files.stored_as: where the file was put after its run, relative to the inbox
--   (processed/<name>.<hash><ext> or rejected/<name>), so a retry can read it again.
-- * quarantine.retried_in_run: the run that validated the row again (after a definition was fixed);
--   the row was then loaded, counted as a duplicate, or quarantined again under that run.

CREATE TABLE file_runs (
    run_id            INTEGER NOT NULL,
    file_id           VARCHAR NOT NULL,
    file_name         VARCHAR NOT NULL,
    action            VARCHAR NOT NULL,   -- loaded | rejected | retried
    reason            VARCHAR,            -- why a file was rejected, and what to do
    rows_read         INTEGER NOT NULL DEFAULT 0,
    rows_loaded       INTEGER NOT NULL DEFAULT 0,
    rows_quarantined  INTEGER NOT NULL DEFAULT 0,
    rows_duplicate    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, file_id)
);

INSERT INTO file_runs
SELECT run_id, file_id, file_name, status, reason, rows_read, rows_loaded, rows_quarantined, rows_duplicate
FROM files;

ALTER TABLE files ADD COLUMN stored_as VARCHAR;
ALTER TABLE quarantine ADD COLUMN retried_in_run INTEGER;
