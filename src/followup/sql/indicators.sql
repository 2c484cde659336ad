-- Scoring of indicator values from answers. Every statement scores one indicator for all graduates;
-- a graduate has a value at a wave only if she answered the item(s) in that wave.

-- name: clear
DELETE FROM indicator_values WHERE indicator = $indicator;

-- name: score_state
-- 1 when the graduate's latest form in the wave has one of the positive codes for the item.
INSERT INTO indicator_values (graduate_id, indicator, wave, months_since_exit, value, response_id, score)
WITH per_response AS (
    SELECT r.graduate_id, r.wave, r.months_since_exit, r.response_id, r.answered_month, r.run_id, r.source_row,
           max(CASE WHEN list_contains($positive::VARCHAR[], a.value) THEN 1 ELSE 0 END) AS value
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE a.item = $item AND r.wave IS NOT NULL
    GROUP BY ALL
)
SELECT graduate_id, $indicator, wave, months_since_exit, value, response_id, NULL
FROM per_response
QUALIFY row_number() OVER (PARTITION BY graduate_id, wave ORDER BY answered_month DESC, run_id DESC, source_row DESC) = 1;

-- name: score_event
-- The event counts from the first wave it is reported in and stays; the result is its absence or presence.
INSERT INTO indicator_values (graduate_id, indicator, wave, months_since_exit, value, response_id, score)
WITH per_response AS (
    SELECT r.graduate_id, r.wave, r.months_since_exit, r.response_id, r.answered_month, r.run_id, r.source_row,
           max(CASE WHEN list_contains($event::VARCHAR[], a.value) THEN 1 ELSE 0 END) AS happened
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE a.item = $item AND r.wave IS NOT NULL
    GROUP BY ALL
),
latest AS (
    SELECT * FROM per_response
    QUALIFY row_number() OVER (PARTITION BY graduate_id, wave ORDER BY answered_month DESC, run_id DESC, source_row DESC) = 1
),
cumulative AS (
    SELECT *, max(happened) OVER (PARTITION BY graduate_id ORDER BY wave) AS happened_by_now FROM latest
)
SELECT graduate_id, $indicator, wave, months_since_exit,
       CASE WHEN $result = 'absent' THEN 1 - happened_by_now ELSE happened_by_now END,
       response_id, NULL
FROM cumulative;

-- name: score_scale
-- The mean of the items' numbers in the wave's latest form that answered any of them; 1 when >= threshold.
INSERT INTO indicator_values (graduate_id, indicator, wave, months_since_exit, value, response_id, score)
WITH per_response AS (
    SELECT r.graduate_id, r.wave, r.months_since_exit, r.response_id, r.answered_month, r.run_id, r.source_row,
           avg(a.value_num) AS score
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE list_contains($items::VARCHAR[], a.item) AND a.value_num IS NOT NULL AND r.wave IS NOT NULL
    GROUP BY ALL
)
SELECT graduate_id, $indicator, wave, months_since_exit, CASE WHEN score >= $threshold THEN 1 ELSE 0 END,
       response_id, score
FROM per_response
QUALIFY row_number() OVER (PARTITION BY graduate_id, wave ORDER BY answered_month DESC, run_id DESC, source_row DESC) = 1;
