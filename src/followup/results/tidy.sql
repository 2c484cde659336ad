-- Statements of the tidy writer (results/tidy.py), run on an in-memory DuckDB.

-- name: write_parquet
-- The staged tidy frame as one Parquet file, column types as the frame has them. Uncompressed: the files are
-- small, and `followup check-pii` then reads every string of them in the file's bytes.
COPY tidy_table TO $path (FORMAT parquet, COMPRESSION uncompressed);
