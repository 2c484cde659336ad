-- name: pairs
-- How many graduates have each combination of values at exit (wave 0) and at a follow-up wave: one row per
-- indicator, wave, the two values (1/0) and, for scale indicators, the two scores (NULL for states), with
-- `pairs` the graduates who have a value at the wave and also had one at exit. Counted here, not one row per
-- graduate: the paired tests need only how often each pair of values occurs.
WITH menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator
),
at_exit AS (
    SELECT v.indicator, v.graduate_id, v.value, v.score
    FROM indicator_values v JOIN menu USING (indicator)
    WHERE v.wave = 0
)
SELECT v.indicator, v.wave,
       e.value AS baseline_value, v.value AS wave_value,
       e.score AS baseline_score, v.score AS wave_score,
       count(*) AS pairs
FROM indicator_values v
JOIN at_exit e ON e.indicator = v.indicator AND e.graduate_id = v.graduate_id
WHERE list_contains($waves::INTEGER[], v.wave)
GROUP BY ALL
ORDER BY ALL;

-- name: pairs_by_group
-- `pairs` counted per group of graduates: one row per grouping, group, indicator, wave and the two values
-- (and scores). `members` (group_by, group, graduate_id) is the frame the caller stages: a graduate in two
-- groups of a grouping (a multiple-choice item) counts in each.
WITH menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator
),
at_exit AS (
    SELECT v.indicator, v.graduate_id, v.value, v.score
    FROM indicator_values v JOIN menu USING (indicator)
    WHERE v.wave = 0
)
SELECT m.group_by, m."group", v.indicator, v.wave,
       e.value AS baseline_value, v.value AS wave_value,
       e.score AS baseline_score, v.score AS wave_score,
       count(*) AS pairs
FROM indicator_values v
JOIN at_exit e ON e.indicator = v.indicator AND e.graduate_id = v.graduate_id
JOIN members m ON m.graduate_id = v.graduate_id
WHERE list_contains($waves::INTEGER[], v.wave)
GROUP BY ALL
ORDER BY ALL;
