-- Scoring of indicator values from answers. Every statement scores one indicator for the graduates in the
-- temp table to_score (all of them, or those whose forms changed since the last scoring); a graduate has a
-- value at a wave only if she answered the item(s) in that wave.

-- name: last_run
SELECT coalesce(max(run_id), 0) FROM runs;

-- name: score_everyone
CREATE OR REPLACE TEMP TABLE to_score AS SELECT DISTINCT graduate_id FROM responses;

-- name: score_changed
-- Graduates with a form loaded, superseded or placed again (her exit month changed) after run $since.
CREATE OR REPLACE TEMP TABLE to_score AS
SELECT graduate_id FROM responses WHERE valid_from_run > $since
UNION SELECT graduate_id FROM responses_history WHERE valid_to_run > $since
UNION SELECT graduate_id FROM graduates_history WHERE valid_to_run > $since;

-- name: to_score_count
SELECT count(*) FROM to_score;

-- name: clear
-- ($everyone: also the values of graduates who no longer have a form)
DELETE FROM indicator_values
WHERE indicator = $indicator AND ($everyone OR graduate_id IN (SELECT graduate_id FROM to_score));

-- name: score_state
-- 1 when the graduate's latest form in the wave has one of the positive codes for the item.
INSERT INTO indicator_values (graduate_id, indicator, wave, months_since_exit, value, response_id, score)
WITH per_response AS (
    SELECT r.graduate_id, r.wave, r.months_since_exit, r.response_id, r.answered_month, r.run_id, r.source_row,
           max(CASE WHEN list_contains($positive::VARCHAR[], a.value) THEN 1 ELSE 0 END) AS value
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE a.item = $item AND r.wave IS NOT NULL AND r.graduate_id IN (SELECT graduate_id FROM to_score)
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
    WHERE a.item = $item AND r.wave IS NOT NULL AND r.graduate_id IN (SELECT graduate_id FROM to_score)
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
-- The mean of the items' numbers in the wave's latest form that answered any of them; 1 when >= threshold,
-- or, for a scale where lower is better ($better = 'lower': a symptom score), when <= threshold.
INSERT INTO indicator_values (graduate_id, indicator, wave, months_since_exit, value, response_id, score)
WITH per_response AS (
    SELECT r.graduate_id, r.wave, r.months_since_exit, r.response_id, r.answered_month, r.run_id, r.source_row,
           avg(a.value_num) AS score
    FROM responses r
    JOIN answers a ON a.response_id = r.response_id
    WHERE list_contains($items::VARCHAR[], a.item) AND a.value_num IS NOT NULL AND r.wave IS NOT NULL
      AND r.graduate_id IN (SELECT graduate_id FROM to_score)
    GROUP BY ALL
)
SELECT graduate_id, $indicator, wave, months_since_exit,
       CASE WHEN CASE WHEN $better = 'lower' THEN score <= $threshold ELSE score >= $threshold END THEN 1 ELSE 0 END,
       response_id, score
FROM per_response
QUALIFY row_number() OVER (PARTITION BY graduate_id, wave ORDER BY answered_month DESC, run_id DESC, source_row DESC) = 1;
