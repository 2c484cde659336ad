-- name: pairs
-- One row per indicator, graduate and follow-up wave at which she has a value and also had one at exit
-- (wave 0): the two values (1/0) and, for scale indicators, the two scores.
WITH menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator
),
at_exit AS (
    SELECT v.indicator, v.graduate_id, v.value, v.score
    FROM indicator_values v JOIN menu USING (indicator)
    WHERE v.wave = 0
)
SELECT v.indicator, v.wave, v.graduate_id,
       e.value AS baseline_value, v.value AS wave_value,
       e.score AS baseline_score, v.score AS wave_score
FROM indicator_values v
JOIN at_exit e ON e.indicator = v.indicator AND e.graduate_id = v.graduate_id
WHERE list_contains($waves::INTEGER[], v.wave)
ORDER BY v.indicator, v.wave, v.graduate_id;
