-- The warehouse as it was after an earlier run: TEMP tables of the same names shadow graduates, responses,
-- answers and indicator_values for the connection (queries that name them read the temp ones), also on a
-- read-only connection. A version was current after run R when valid_from_run <= R < valid_to_run.
-- Once a TEMP table exists, `main.<name>` names it too (the temp catalog has a schema `main`): each shadow
-- reads only its own table, before its shadow exists, and history tables (never shadowed). The gateway makes
-- them in the order answers, responses, graduates (see Warehouse.as_of_run).

-- name: run_as_of
-- The run, if it completed, with the date its results were computed for.
SELECT run_id, status, as_of FROM runs WHERE run_id = $run_id;

-- name: shadow_graduates
-- (her current version is valid from the run that superseded her last earlier one, else from her first run)
CREATE OR REPLACE TEMP TABLE graduates AS
SELECT g.* FROM main.graduates g
WHERE coalesce((SELECT max(h.valid_to_run) FROM main.graduates_history h WHERE h.graduate_id = g.graduate_id),
               g.run_id) <= $run_id
UNION ALL
SELECT * EXCLUDE (valid_from_run, valid_to_run) FROM main.graduates_history
WHERE valid_from_run <= $run_id AND valid_to_run > $run_id;

-- name: shadow_responses
CREATE OR REPLACE TEMP TABLE responses AS
SELECT * FROM main.responses WHERE coalesce(valid_from_run, run_id) <= $run_id
UNION ALL
SELECT * EXCLUDE (valid_to_run) FROM main.responses_history WHERE valid_from_run <= $run_id AND valid_to_run > $run_id;

-- name: shadow_answers
-- (a form's current answers are valid from answers_from_run, even when the form was placed again later)
CREATE OR REPLACE TEMP TABLE answers AS
SELECT a.* FROM main.answers a JOIN main.responses r USING (response_id)
WHERE coalesce(r.answers_from_run, r.run_id) <= $run_id
UNION ALL
SELECT * EXCLUDE (valid_from_run, valid_to_run) FROM main.answers_history
WHERE valid_from_run <= $run_id AND valid_to_run > $run_id;

-- name: shadow_indicator_values
-- Empty, to be scored again from the shadowed answers.
CREATE OR REPLACE TEMP TABLE indicator_values AS SELECT * FROM main.indicator_values LIMIT 0;

-- name: unshadow_graduates
DROP TABLE IF EXISTS temp.main.graduates;

-- name: unshadow_responses
DROP TABLE IF EXISTS temp.main.responses;

-- name: unshadow_answers
DROP TABLE IF EXISTS temp.main.answers;

-- name: unshadow_indicator_values
DROP TABLE IF EXISTS temp.main.indicator_values;
