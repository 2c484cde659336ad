-- name: clear
DELETE FROM indicator_values WHERE indicator = $indicator;

-- name: score_state
-- A state indicator at a wave: 1 when the graduate's latest answer to the item in that wave is positive.
INSERT INTO indicator_values
SELECT r.graduate_id, $indicator, r.wave, r.months_since_exit,
       CASE WHEN list_contains($positive::VARCHAR[], a.value) THEN 1 ELSE 0 END,
       r.response_id
FROM responses r
JOIN answers a USING (response_id)
WHERE a.item = $item AND r.wave IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY r.graduate_id, r.wave ORDER BY r.answered_month DESC, r.run_id DESC, r.source_row DESC) = 1;
