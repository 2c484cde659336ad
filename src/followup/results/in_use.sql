-- name: forms_in_use
-- One row per instrument whose forms are in the warehouse, with its kind (baseline, followup, assessment)
-- and each item code its forms answer (item NULL: a form that answered none). Which indicators and grouping
-- items the result tables show follows from it (results/in_use.py). As of an earlier run, `responses` and
-- `answers` are that run's (history.sql shadows them).
SELECT DISTINCT r.instrument, r.kind, a.item
FROM responses AS r
LEFT JOIN answers AS a USING (response_id)
ORDER BY ALL;
