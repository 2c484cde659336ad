-- Statements the gateway runs to load one file's anonymised rows. Each `-- name:` starts a statement.
-- The rows arrive as the registered frames staged_responses, staged_answers and staged_quarantine.

-- name: classify
-- Decide the fate of every incoming response: duplicate, quarantine (with the check) or load.
CREATE OR REPLACE TEMP TABLE incoming AS
WITH staged AS (
    SELECT s.* REPLACE (s.answered_month::DATE AS answered_month, s.exit_month::DATE AS exit_month),
           row_number() OVER (PARTITION BY response_id ORDER BY _row) AS copy_in_file,
           row_number() OVER (PARTITION BY graduate_id ORDER BY _row) AS nth_of_graduate
    FROM staged_responses s
),
judged AS (
    SELECT s.*,
           -- A follow-up form that asks the exit date itself makes an unknown graduate known (from her
           -- first row in the file); otherwise her exit month comes from the case-closure form.
           coalesce(g.exit_month, first_value(s.exit_month IGNORE NULLS) OVER (
               PARTITION BY s.graduate_id ORDER BY s._row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
               AS known_exit_month,
           g.graduate_id IS NULL AND $kind <> 'baseline' AS new_graduate,
           CASE
               WHEN s.copy_in_file > 1 OR r.response_id IS NOT NULL THEN 'duplicate'
               WHEN $kind = 'baseline' AND (g.graduate_id IS NOT NULL OR s.nth_of_graduate > 1)
                   THEN 'baseline_unique'
               WHEN s.link_how = 'review' THEN 'link_review'
               WHEN $kind <> 'baseline' AND g.graduate_id IS NULL AND known_exit_month IS NULL THEN 'graduate_known'
               WHEN $kind = 'followup' AND s.answered_month < known_exit_month THEN 'answered_after_exit'
               ELSE 'load'
           END AS fate
    FROM staged s
    LEFT JOIN responses r ON r.response_id = s.response_id
    LEFT JOIN graduates g ON g.graduate_id = s.graduate_id
)
SELECT *,
       CASE WHEN $kind = 'baseline' THEN 0
            ELSE date_diff('month', known_exit_month, answered_month) END AS months_since_exit
FROM judged;

-- name: quarantine_rows
INSERT INTO quarantine (run_id, file_id, file_name, source_row, column_name, check_name, reason, sheet)
SELECT $run_id, $file_id, $file_name, _row, column_name, check_name, reason, $sheet FROM staged_quarantine
UNION ALL
SELECT $run_id, $file_id, $file_name, _row, CASE fate WHEN 'answered_after_exit' THEN $dated_by ELSE 'identity' END,
       fate,
       CASE fate
           WHEN 'baseline_unique' THEN 'this graduate already has a case-closure record; a second exit '
               || 'is not supported yet: keep one record per graduate'
           WHEN 'link_review' THEN 'the name is like that of a known graduate (similarity '
               || round(similarity)::INTEGER || '%), but not surely hers: decide with `followup review`, then '
               || 'run `followup run --retry-quarantine`'
           WHEN 'graduate_known' THEN 'no case-closure record matches this graduate: load the case-closure '
               || 'export, check how the name and phone are written, or give the form a column with role '
               || 'exit_date; then run `followup run --retry-quarantine`'
           ELSE 'the answer is dated before the graduate''s exit month: check the date'
       END,
       $sheet
FROM incoming WHERE fate NOT IN ('load', 'duplicate');

-- name: insert_graduates
INSERT INTO graduates (graduate_id, organisation, exit_month, birth_year, run_id, file_id)
SELECT graduate_id, organisation, known_exit_month, birth_year, $run_id, $file_id
FROM incoming WHERE fate = 'load' AND ($kind = 'baseline' OR new_graduate)
QUALIFY row_number() OVER (PARTITION BY graduate_id ORDER BY _row) = 1;

-- name: insert_responses
INSERT INTO responses (response_id, graduate_id, instrument, version, kind, answered_month, months_since_exit,
                       wave, run_id, file_id, source_row, source_sheet)
SELECT response_id, graduate_id, $instrument, $version, $kind, answered_month, months_since_exit,
       -- The nearest wave within its window; an assessment may also fall on wave 0 (the exit month).
       CASE WHEN $kind = 'baseline' THEN 0 ELSE (
           SELECT w FROM unnest(CASE WHEN $kind = 'assessment' THEN [0] ELSE [] END || $waves::INTEGER[]) AS t(w)
           WHERE abs(months_since_exit - w) <= greatest(1, round(w * $window))
           ORDER BY abs(months_since_exit - w), w LIMIT 1) END,
       $run_id, $file_id, _row, $sheet
FROM incoming WHERE fate = 'load';

-- name: insert_answers
INSERT INTO answers (response_id, item, value, value_num)
SELECT a.response_id, a.item, a.value, a.value_num
FROM staged_answers a
JOIN incoming i ON i._row = a._row AND i.fate = 'load';

-- name: fates
SELECT fate, count(*) AS n FROM incoming GROUP BY fate;

-- name: validation_results
INSERT INTO validation_results
SELECT $run_id, $file_id, $file_name, $sheet, $instrument, $version,
       "check", "column", expectation, element_count, unexpected_count, success
FROM staged_validation;

-- name: one_answer_per_wave
-- One answer per graduate per wave: of the follow-up forms loaded from this table, how many share their
-- graduate, instrument and wave with another form (she filled it in twice, or at 11 and at 13 months).
-- Both are kept (they are real answers) and results use the latest; the check records how many there are.
INSERT INTO validation_results
SELECT $run_id, $file_id, $file_name, $sheet, $instrument, $version,
       'one_answer_per_wave', 'identity', 'unique (graduate_id, instrument, wave)',
       count(*), count(*) FILTER (WHERE same_wave > 1), count(*) FILTER (WHERE same_wave > 1) = 0
FROM (
    SELECT (SELECT count(*) FROM responses o
            WHERE o.graduate_id = r.graduate_id AND o.instrument = r.instrument AND o.wave = r.wave) AS same_wave
    FROM responses r
    WHERE r.run_id = $run_id AND r.file_id = $file_id AND r.source_sheet IS NOT DISTINCT FROM $sheet
      AND r.kind <> 'baseline' AND r.wave IS NOT NULL
)
HAVING $kind <> 'baseline';

-- name: insert_aliases
-- Each identity pseudonym of a loaded form is linked to its graduate once, and stays so.
INSERT OR IGNORE INTO graduate_aliases
SELECT alias_id, graduate_id, CASE WHEN link_how IN ('fuzzy', 'phone') THEN link_how ELSE 'exact' END,
       similarity, $run_id
FROM incoming WHERE fate = 'load' AND link_how <> 'alias'
QUALIFY row_number() OVER (PARTITION BY alias_id ORDER BY _row) = 1;

-- name: ask_reviews
-- Uncertain links wait for a person: one question per identity and candidate, with how many forms wait.
INSERT INTO link_reviews
SELECT alias_id, candidate_id, max(similarity), count(*), $run_id, NULL, NULL
FROM incoming WHERE fate = 'link_review'
GROUP BY alias_id, candidate_id
ON CONFLICT (alias_id, candidate_id) DO UPDATE SET forms = excluded.forms, run_id = excluded.run_id;

-- name: insert_comments
-- Free-text answers of the loaded forms, already redacted.
INSERT INTO comments
SELECT c.response_id, c.question, c.text, $run_id
FROM staged_comments AS c
JOIN incoming AS i ON i._row = c._row AND i.fate = 'load';
