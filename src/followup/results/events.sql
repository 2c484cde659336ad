-- name: follow_time
-- One row per graduate: how long she was followed for one event indicator, in waves. `wave` is the wave of
-- her first form whose indicator value says the event had happened (observed = true), else of her last
-- form with a value (observed = false: censored there); a graduate with no value is censored at 0.
-- The values are the by-wave table's (indicator_values: each form counted in the wave it was placed in,
-- the latest form of a wave; an event reported once stays), so the two tables count the same forms.
-- $happened is the value that means the event happened: 0 for `result: absent`, 1 for `result: present`.
WITH followed AS (
    SELECT graduate_id,
           min(wave) FILTER (WHERE value = $happened) AS first_event,
           max(wave) AS last_wave
    FROM indicator_values
    WHERE indicator = $indicator AND wave >= 0
    GROUP BY graduate_id
)
SELECT g.graduate_id,
       coalesce(f.first_event, f.last_wave, 0) AS wave,
       f.first_event IS NOT NULL AS observed
FROM graduates g
LEFT JOIN followed f USING (graduate_id)
ORDER BY g.graduate_id;
