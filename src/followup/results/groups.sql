-- name: membership
-- One row per grouping, group and graduate in it: $groupings, in their order, each 'organisation',
-- 'cohort' (year of exit) or a baseline item, the group being the graduate's coded answer in her
-- case-closure form ($no_answer when she gave none; a multiple-choice answer puts her in each group she
-- chose). The same groups as the `split` of indicator_by_wave.sql (kept inside that one statement, where
-- it is joined to every value), for the tables computed in Python from one row per graduate.
WITH groupings AS (
    SELECT unnest($groupings::VARCHAR[]) AS group_by, generate_subscripts($groupings::VARCHAR[], 1) - 1 AS by_pos
),
items AS (
    SELECT group_by AS item, by_pos FROM groupings WHERE group_by NOT IN ('organisation', 'cohort')
),
at_exit AS (
    SELECT r.graduate_id, a.item, a.value
    FROM responses r JOIN answers a ON a.response_id = r.response_id
    WHERE r.kind = 'baseline' AND a.item IN (SELECT item FROM items)
),
split AS (
    SELECT k.group_by, k.by_pos, g.graduate_id, g.organisation AS "group"
    FROM groupings k CROSS JOIN graduates g
    WHERE k.group_by = 'organisation'
    UNION ALL
    SELECT k.group_by, k.by_pos, g.graduate_id, year(g.exit_month)::VARCHAR
    FROM groupings k CROSS JOIN graduates g
    WHERE k.group_by = 'cohort'
    UNION ALL
    SELECT DISTINCT i.item, i.by_pos, g.graduate_id, coalesce(x.value, $no_answer)
    FROM graduates g
    CROSS JOIN items i
    LEFT JOIN at_exit x ON x.graduate_id = g.graduate_id AND x.item = i.item
)
SELECT group_by, "group", graduate_id
FROM split
ORDER BY by_pos, "group" = $no_answer, "group", graduate_id;
