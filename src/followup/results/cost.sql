-- Cost per social result: what each organisation's programme cost in a period, against its graduates of
-- that period who had the result at the 12-month wave.

-- name: organisations
SELECT DISTINCT organisation FROM graduates ORDER BY organisation;

-- name: cost_per_result
-- One row per costs row (staged_costs: row, organisation, period, first_month, last_month, programme_cost,
-- residents) and indicator. graduates_due: graduates of the organisation whose exit month lies in the
-- period and for whom the month `exit month + $wave` has begun by $as_of; with_result: those of them whose
-- value of the indicator at wave $wave is 1 (a graduate not reached at that wave counts as without it).
WITH due AS (
    SELECT c.row, g.graduate_id
    FROM staged_costs c
    JOIN graduates g
      ON g.organisation = c.organisation
     AND g.exit_month BETWEEN c.first_month AND c.last_month
     AND g.exit_month + to_months($wave) <= $as_of
),
menu AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator, generate_subscripts($indicators::VARCHAR[], 1) AS pos
),
counted AS (
    SELECT c.row, m.pos, m.indicator,
           count(d.graduate_id) AS graduates_due,
           count(v.graduate_id) AS with_result
    FROM staged_costs c
    CROSS JOIN menu m
    LEFT JOIN due d ON d.row = c.row
    LEFT JOIN indicator_values v
      ON v.graduate_id = d.graduate_id AND v.indicator = m.indicator AND v.wave = $wave AND v.value = 1
    GROUP BY c.row, m.pos, m.indicator
)
SELECT c.organisation, c.period, c.programme_cost, c.residents, n.indicator, n.graduates_due, n.with_result
FROM counted n
JOIN staged_costs c USING (row)
ORDER BY c.row, n.pos;
