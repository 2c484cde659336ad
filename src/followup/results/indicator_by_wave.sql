-- name: indicator_by_wave
-- One row per grouping, group, indicator and wave (months since exit): how many of the group's graduates were
-- due for the wave by $as_of, how many were reached, and the share with the outcome among those who answered
-- the item; for scale indicators also the mean, SD, median and quartiles of the score (quantile_cont
-- interpolates linearly, as numpy's and pandas' default quantiles do).
-- A graduate is due for wave w once the month `exit month + w` has begun.
-- $groupings, in their order: 'everyone' (one group of every graduate, there also when there is none: the
-- by-wave table), 'organisation', 'cohort' (year of exit), or a baseline item, the group being the graduate's
-- coded answer in her case-closure form ($no_answer when she gave none; a multiple-choice answer puts her in
-- each group she chose). Apart from 'everyone', only groups that have a graduate appear.
-- 'everyone' counts responses and indicator values of the graduates list without joining each to a group
-- (a semi-join on graduate_id): at 100,000 graduates the join of every value to the list took most of the time.
WITH waves AS (
    SELECT unnest($waves::INTEGER[]) AS wave
),
menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator, generate_subscripts($indicators::VARCHAR[], 1) AS pos
),
groupings AS (
    SELECT unnest($groupings::VARCHAR[]) AS group_by, generate_subscripts($groupings::VARCHAR[], 1) - 1 AS by_pos
),
items AS (
    SELECT group_by AS item, by_pos FROM groupings WHERE group_by NOT IN ('everyone', 'organisation', 'cohort')
),
at_exit AS (
    SELECT r.graduate_id, a.item, a.value
    FROM responses r JOIN answers a ON a.response_id = r.response_id
    WHERE r.kind = 'baseline' AND a.item IN (SELECT item FROM items)
),
everyone AS (
    -- one row without a graduate when there is none, so that the group still has its rows
    SELECT k.group_by, k.by_pos, g.graduate_id, 'everyone' AS "group", g.exit_month
    FROM groupings k LEFT JOIN graduates g ON true
    WHERE k.group_by = 'everyone'
),
split AS (
    -- the groupings other than 'everyone': one row per graduate and group she is in
    SELECT k.group_by, k.by_pos, g.graduate_id, g.organisation AS "group", g.exit_month
    FROM groupings k CROSS JOIN graduates g
    WHERE k.group_by = 'organisation'
    UNION ALL
    SELECT k.group_by, k.by_pos, g.graduate_id, year(g.exit_month)::VARCHAR, g.exit_month
    FROM groupings k CROSS JOIN graduates g
    WHERE k.group_by = 'cohort'
    UNION ALL
    SELECT DISTINCT i.item, i.by_pos, g.graduate_id, coalesce(x.value, $no_answer), g.exit_month
    FROM graduates g
    CROSS JOIN items i
    LEFT JOIN at_exit x ON x.graduate_id = g.graduate_id AND x.item = i.item
),
membership AS (
    SELECT * FROM everyone UNION ALL SELECT * FROM split
),
groups AS (
    SELECT DISTINCT group_by, by_pos, "group" FROM membership
),
eligible AS (
    SELECT m.group_by, m."group", w.wave,
           count(m.graduate_id) FILTER (WHERE m.exit_month + to_months(w.wave) <= $as_of) AS eligible
    FROM membership m CROSS JOIN waves w
    GROUP BY ALL
),
reached AS (
    SELECT 'everyone' AS group_by, 'everyone' AS "group", r.wave, count(DISTINCT r.graduate_id) AS reached
    FROM responses r
    WHERE list_contains($groupings::VARCHAR[], 'everyone') AND r.wave IS NOT NULL
      AND r.graduate_id IN (SELECT graduate_id FROM graduates)
    GROUP BY ALL
    UNION ALL
    SELECT m.group_by, m."group", r.wave, count(DISTINCT r.graduate_id) AS reached
    FROM responses r JOIN split m USING (graduate_id)
    WHERE r.wave IS NOT NULL
    GROUP BY ALL
),
values_of AS (
    -- each indicator value with the grouping and group it counts in
    SELECT 'everyone' AS group_by, 'everyone' AS "group", v.indicator, v.wave, v.value, v.score
    FROM indicator_values v
    WHERE list_contains($groupings::VARCHAR[], 'everyone') AND v.graduate_id IN (SELECT graduate_id FROM graduates)
    UNION ALL
    SELECT m.group_by, m."group", v.indicator, v.wave, v.value, v.score
    FROM indicator_values v JOIN split m USING (graduate_id)
),
scored AS (
    SELECT group_by, "group", indicator, wave, count(*) AS answered, sum(value)::INTEGER AS with_outcome,
           avg(score) AS mean, stddev_samp(score) AS sd, median(score) AS median,
           quantile_cont(score, 0.25) AS q1, quantile_cont(score, 0.75) AS q3
    FROM values_of
    GROUP BY ALL
)
SELECT k.group_by, k."group", m.indicator, w.wave,
       e.eligible,
       coalesce(r.reached, 0) AS reached,
       coalesce(r.reached, 0) / nullif(e.eligible, 0) AS response_rate,
       coalesce(s.answered, 0) AS answered,
       coalesce(s.with_outcome, 0) AS with_outcome,
       s.with_outcome / nullif(s.answered, 0) AS share,
       s.mean, s.sd, s.median, s.q1, s.q3
FROM groups k
CROSS JOIN menu m
CROSS JOIN waves w
JOIN eligible e ON e.group_by = k.group_by AND e."group" = k."group" AND e.wave = w.wave
LEFT JOIN reached r ON r.group_by = k.group_by AND r."group" = k."group" AND r.wave = w.wave
LEFT JOIN scored s ON s.group_by = k.group_by AND s."group" = k."group" AND s.indicator = m.indicator
                  AND s.wave = w.wave
ORDER BY k.by_pos, k."group" = $no_answer, k."group", m.pos, w.wave;
