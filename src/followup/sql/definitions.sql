-- The definitions each run computed with (migration 008), and the graduate_groups view made from them.

-- name: store
-- A set of definitions is stored once, however many runs use it.
INSERT OR IGNORE INTO definitions VALUES ($digest, $body);

-- name: use
INSERT OR REPLACE INTO run_definitions VALUES ($run_id, $digest);

-- name: of_run
SELECT d.body FROM run_definitions r JOIN definitions d USING (digest) WHERE r.run_id = $run_id;

-- name: latest
-- The set the newest run that recorded one used (the graduate_groups view follows it).
SELECT d.body FROM run_definitions r JOIN definitions d USING (digest) ORDER BY r.run_id DESC LIMIT 1;

-- name: graduate_groups
-- One row per graduate: who she is in the results (organisation, exit month, cohort, birth year) and her
-- case-closure answers to each baseline grouping item, one column per item (made by the gateway from
-- the grouping items, e.g. programme, material_help). A multiple-choice answer lists her choices, joined by
-- '; '; NULL: no answer. The view is made again whenever the grouping items change.
CREATE OR REPLACE VIEW graduate_groups AS
SELECT g.graduate_id, g.organisation, g.exit_month, year(g.exit_month) AS cohort, g.birth_year{columns}
FROM graduates AS g
LEFT JOIN (
    SELECT r.graduate_id, a.item, a.value
    FROM responses AS r JOIN answers AS a USING (response_id)
    WHERE r.kind = 'baseline'
) AS b USING (graduate_id)
GROUP BY ALL
ORDER BY g.graduate_id;
