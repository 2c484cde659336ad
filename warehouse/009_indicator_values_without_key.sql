-- 009: indicator_values without its primary key.
-- The scoring queries already give one row per graduate, indicator and wave (each keeps a wave's latest form),
-- and the key made scoring everyone slow: every delete, insert and commit kept its index (23 of 28 s at
-- 100,000 graduates). DuckDB cannot drop a primary key in place, so the table is made again without it, with
-- the same columns in the same order, and its rows copied.
CREATE TABLE indicator_values_009 (
    graduate_id        VARCHAR NOT NULL,
    indicator          VARCHAR NOT NULL,
    wave               INTEGER NOT NULL,
    months_since_exit  INTEGER NOT NULL,
    value              DOUBLE NOT NULL,  -- 1/0 for state indicators
    response_id        VARCHAR NOT NULL,
    score              DOUBLE            -- scale indicators: the mean of the items
);
INSERT INTO indicator_values_009
SELECT graduate_id, indicator, wave, months_since_exit, value, response_id, score FROM indicator_values;
DROP TABLE indicator_values;
ALTER TABLE indicator_values_009 RENAME TO indicator_values;
