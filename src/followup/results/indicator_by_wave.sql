-- name: indicator_by_wave
-- One row per indicator and wave (months since exit): how many graduates were due for the wave by
-- $as_of, how many were reached, and the share with the outcome among those who answered the item; for
-- scale indicators also the mean, SD, median and quartiles of the score (quantile_cont interpolates
-- linearly, as numpy's and pandas' default quantiles do).
-- A graduate is due for wave w once the month `exit month + w` has begun.
WITH waves AS (
    SELECT unnest($waves::INTEGER[]) AS wave
),
eligible AS (
    SELECT w.wave, count(g.graduate_id) AS eligible
    FROM waves w
    LEFT JOIN graduates g ON g.exit_month + to_months(w.wave) <= $as_of
    GROUP BY w.wave
),
reached AS (
    SELECT wave, count(DISTINCT graduate_id) AS reached
    FROM responses
    WHERE wave IS NOT NULL
    GROUP BY wave
),
scored AS (
    SELECT indicator, wave, count(*) AS answered, sum(value)::INTEGER AS with_outcome,
           avg(score) AS mean, stddev_samp(score) AS sd, median(score) AS median,
           quantile_cont(score, 0.25) AS q1, quantile_cont(score, 0.75) AS q3
    FROM indicator_values
    GROUP BY indicator, wave
),
menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator, generate_subscripts($indicators::VARCHAR[], 1) AS pos
)
SELECT m.indicator,
       e.wave,
       e.eligible,
       coalesce(r.reached, 0) AS reached,
       coalesce(r.reached, 0) / nullif(e.eligible, 0) AS response_rate,
       coalesce(s.answered, 0) AS answered,
       coalesce(s.with_outcome, 0) AS with_outcome,
       s.with_outcome / nullif(s.answered, 0) AS share,
       s.mean, s.sd, s.median, s.q1, s.q3
FROM menu m
CROSS JOIN eligible e
LEFT JOIN reached r USING (wave)
LEFT JOIN scored s ON s.indicator = m.indicator AND s.wave = e.wave
ORDER BY m.pos, e.wave;
