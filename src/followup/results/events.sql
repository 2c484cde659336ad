-- name: follow_time
-- One row per graduate: how long she was followed for one event indicator. `months` is the months since
-- exit of her first answer to the event item that reports one of the $event codes (observed = true), else
-- of her last answer to the item (observed = false: censored there); a graduate who never answered the
-- item after exit is censored at 0. Only answers to the item count: a form without it does not say
-- whether the event happened.
WITH answered AS (
    SELECT r.graduate_id, r.months_since_exit,
           bool_or(list_contains($event::VARCHAR[], a.value)) AS happened
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE a.item = $item AND r.months_since_exit >= 0
    GROUP BY ALL
),
followed AS (
    SELECT graduate_id,
           min(months_since_exit) FILTER (WHERE happened) AS first_event,
           max(months_since_exit) AS last_answer
    FROM answered
    GROUP BY graduate_id
)
SELECT g.graduate_id,
       coalesce(f.first_event, f.last_answer, 0) AS months,
       f.first_event IS NOT NULL AS observed
FROM graduates g
LEFT JOIN followed f USING (graduate_id)
ORDER BY g.graduate_id;
