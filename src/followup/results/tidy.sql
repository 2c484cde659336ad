-- Statements of the tidy writer (results/tidy.py), run on an in-memory DuckDB.

-- name: write_parquet
-- The staged tidy frame as one Parquet file, column types as the frame has them.
COPY tidy_table TO $path (FORMAT parquet);
