-- The researcher export: what it reads from the warehouse. No name, phone, date or free text is here to
-- read: graduates are pseudonyms, dates are months, birth dates are years, comments are not read at all.

-- name: instruments_used
-- The instruments whose forms are loaded: their definitions label the export.
SELECT DISTINCT instrument FROM responses ORDER BY instrument;

-- name: graduates
-- One row per graduate: the quasi-identifiers before generalisation.
SELECT graduate_id, organisation, exit_month, birth_year
FROM graduates
ORDER BY exit_month, graduate_id;

-- name: grouping_at_exit
-- One row per graduate and baseline grouping item she answered at exit (a quasi-identifier when asked for).
SELECT r.graduate_id, a.item, min(a.value) AS value
FROM responses r
JOIN answers a USING (response_id)
WHERE r.kind = 'baseline' AND list_contains($items::VARCHAR[], a.item)
GROUP BY r.graduate_id, a.item;

-- name: waves
-- One row per graduate and wave she answered in: the months since exit of her latest form in the wave.
SELECT graduate_id, wave, arg_max(months_since_exit, (answered_month, run_id, source_row)) AS months_since_exit
FROM responses
WHERE wave IS NOT NULL
GROUP BY graduate_id, wave;

-- name: latest_answers
-- One row per graduate, wave, item and coded value: the item's answer in the latest form of the wave that
-- answered it (as indicators are scored; a multiple-choice answer has one row per chosen option).
WITH ranked AS (
    SELECT r.graduate_id, r.wave, a.item, a.value, a.value_num,
           dense_rank() OVER (
               PARTITION BY r.graduate_id, r.wave, a.item
               ORDER BY r.answered_month DESC, r.run_id DESC, r.source_row DESC, r.response_id DESC
           ) AS newest
    FROM responses r
    JOIN answers a USING (response_id)
    WHERE r.wave IS NOT NULL
)
SELECT graduate_id, wave, item, value, value_num FROM ranked WHERE newest = 1;

-- name: answers
-- One row per coded answer of every loaded form (the long file), forms outside any wave included.
SELECT r.graduate_id, r.instrument, r.version, r.kind, r.wave, r.months_since_exit, a.item, a.value, a.value_num
FROM responses r
JOIN answers a USING (response_id)
ORDER BY r.graduate_id, r.months_since_exit, r.instrument, r.response_id, a.item, a.value;

-- name: indicator_values
SELECT graduate_id, wave, indicator, value, score FROM indicator_values;

-- name: write_parquet
COPY staged_export TO $path (FORMAT parquet);
