-- name: attrition
-- One row per cohort (year of exit) and wave: the cohort's graduates due for the wave by $as_of (the month
-- `exit month + wave` has begun), how many of the cohort answered a form in that wave, and the share.
-- Reached counts every form placed in the wave, as the indicator-by-wave table does.
WITH waves AS (
    SELECT unnest($waves::INTEGER[]) AS wave, generate_subscripts($waves::INTEGER[], 1) AS pos
),
cohorts AS (
    SELECT graduate_id, year(exit_month)::INTEGER AS cohort, exit_month FROM graduates
),
eligible AS (
    SELECT c.cohort, w.wave, w.pos, count(*) FILTER (WHERE c.exit_month + to_months(w.wave) <= $as_of) AS eligible
    FROM (SELECT DISTINCT cohort FROM cohorts) k
    CROSS JOIN waves w
    JOIN cohorts c ON c.cohort = k.cohort
    GROUP BY ALL
),
reached AS (
    SELECT c.cohort, r.wave, count(DISTINCT r.graduate_id) AS reached
    FROM responses r JOIN cohorts c USING (graduate_id)
    WHERE r.wave IS NOT NULL
    GROUP BY ALL
)
SELECT e.cohort, e.wave, e.eligible, coalesce(r.reached, 0) AS reached,
       coalesce(r.reached, 0) / nullif(e.eligible, 0) AS response_rate
FROM eligible e
LEFT JOIN reached r USING (cohort, wave)
ORDER BY e.cohort, e.pos;
