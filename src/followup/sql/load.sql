-- Statements the gateway runs to load one file's anonymised rows. Each `-- name:` starts a statement.
-- The rows arrive as the registered frames staged_responses, staged_answers and staged_quarantine.

-- name: classify
-- Decide the fate of every incoming response: duplicate (the same form with the same answers), supersede (the
-- same form, or her case-closure, with changed answers: a new version), quarantine (with the check) or load.
CREATE OR REPLACE TEMP TABLE incoming AS
WITH digests AS (
    -- the same digest as migration 007 computes from the answers table
    SELECT _row, md5(coalesce(string_agg(item || '=' || value, '|' ORDER BY item, value), '')) AS digest
    FROM staged_answers GROUP BY _row
),
staged AS (
    SELECT s.* REPLACE (s.answered_month::DATE AS answered_month, s.exit_month::DATE AS exit_month),
           coalesce(d.digest, md5('')) AS digest,
           row_number() OVER (PARTITION BY response_id ORDER BY s._row) AS copy_in_file,
           row_number() OVER (PARTITION BY graduate_id ORDER BY s._row) AS nth_of_graduate
    FROM staged_responses s
    LEFT JOIN digests d ON d._row = s._row
),
judged AS (
    SELECT s.*,
           -- A follow-up form that asks the exit date itself makes an unknown graduate known (from her
           -- first row in the file); otherwise her exit month comes from the case-closure form.
           CASE WHEN $kind = 'baseline' THEN s.exit_month ELSE coalesce(g.exit_month, first_value(s.exit_month IGNORE NULLS) OVER (
               PARTITION BY s.graduate_id ORDER BY s._row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
           END AS known_exit_month,
           g.graduate_id IS NULL AND $kind <> 'baseline' AS new_graduate,
           $kind = 'baseline' AND g.graduate_id IS NOT NULL AND (
               g.exit_month <> s.exit_month OR g.birth_year IS DISTINCT FROM s.birth_year
               OR g.organisation <> s.organisation) AS graduate_changed,
           $kind = 'baseline' AND g.exit_month <> s.exit_month AS exit_changed,
           date_diff('month', g.exit_month, s.exit_month) AS exit_shift,
           -- months since exit at day precision (from her exact exit date); calendar months when it is unknown
           CASE WHEN $kind = 'baseline' THEN 0.0
                ELSE coalesce(s.months_exact, date_diff('month', known_exit_month, s.answered_month)) END AS months,
           CASE
               WHEN s.copy_in_file > 1 THEN 'duplicate'
               WHEN $kind = 'baseline' AND s.nth_of_graduate > 1 THEN 'baseline_unique'
               -- One case-closure record per graduate: a later one (a corrected export) is her new version.
               WHEN $kind = 'baseline' AND g.graduate_id IS NOT NULL THEN
                   CASE WHEN r.answers_digest = s.digest AND NOT graduate_changed THEN 'duplicate' ELSE 'supersede' END
               WHEN r.response_id IS NOT NULL THEN
                   CASE WHEN r.answers_digest = s.digest AND r.answered_month = s.answered_month THEN 'duplicate'
                        ELSE 'supersede' END
               WHEN s.link_how = 'review' THEN 'link_review'
               WHEN $kind <> 'baseline' AND g.graduate_id IS NULL AND known_exit_month IS NULL THEN 'graduate_known'
               WHEN $kind = 'followup' AND s.answered_month < known_exit_month THEN 'answered_after_exit'
               WHEN s.declared_wave IS NOT NULL AND NOT list_contains($declarable::INTEGER[], s.declared_wave)
                   THEN 'wave_unknown'
               -- a declared wave is trusted within twice its window
               WHEN s.declared_wave IS NOT NULL
                    AND abs(months - s.declared_wave) > 2 * greatest(1, round(s.declared_wave * $window))
                   THEN 'wave_date_mismatch'
               ELSE 'load'
           END AS fate
    FROM staged s
    LEFT JOIN responses r ON r.response_id = s.response_id
    LEFT JOIN graduates g ON g.graduate_id = s.graduate_id
)
SELECT *, round(months)::INTEGER AS months_since_exit
FROM judged;

-- name: quarantine_rows
INSERT INTO quarantine (run_id, file_id, file_name, source_row, column_name, check_name, reason, sheet)
SELECT $run_id, $file_id, $file_name, _row, column_name, check_name, reason, $sheet FROM staged_quarantine
UNION ALL
SELECT $run_id, $file_id, $file_name, _row,
       CASE WHEN fate IN ('answered_after_exit', 'wave_date_mismatch') THEN $dated_by
            WHEN fate = 'wave_unknown' THEN $wave_column ELSE 'identity' END,
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
           WHEN 'wave_date_mismatch' THEN 'the form is declared the ' || declared_wave || '-month wave but was '
               || 'filled in ' || round(months, 1) || ' months after exit (a declared wave is trusted within '
               || 2 * greatest(1, round(declared_wave * $window)) || ' months of it): check the date, the '
               || 'wave the definition declares, or the file the form was exported to'
           WHEN 'wave_unknown' THEN 'the form declares the ' || declared_wave || '-month wave, which is not one '
               || 'of this home''s waves (' || array_to_string($declarable::INTEGER[], ', ') || '): add it to '
               || '[waves] months in followup.toml or correct the definition; then run `followup run '
               || '--retry-quarantine`'
           ELSE 'the answer is dated before the graduate''s exit month: check the date'
       END,
       $sheet
FROM incoming WHERE fate NOT IN ('load', 'supersede', 'duplicate');

-- name: superseded
-- The current versions this table's forms supersede: the forms loaded again with changed answers, her earlier
-- case-closure form, and (her exit month changed) her other forms, whose months since exit and wave move.
CREATE OR REPLACE TEMP TABLE superseded AS
SELECT r.response_id, true AS replaced
FROM responses r JOIN incoming i ON i.response_id = r.response_id
WHERE i.fate = 'supersede' AND $kind <> 'baseline'
UNION
SELECT r.response_id, true
FROM responses r
WHERE $kind = 'baseline' AND r.kind = 'baseline'
  AND r.graduate_id IN (SELECT graduate_id FROM incoming WHERE fate = 'supersede')
UNION
SELECT r.response_id, false
FROM responses r
WHERE $kind = 'baseline' AND r.kind <> 'baseline'
  AND r.graduate_id IN (SELECT graduate_id FROM incoming WHERE fate = 'supersede' AND exit_changed);

-- name: keep_graduates_history
-- Her current version was valid from the run that superseded the one before, else from her first run. A
-- version loaded by this same run was never the state after any run: it is replaced, not kept.
INSERT INTO graduates_history
SELECT g.*, v.valid_from_run, $run_id
FROM graduates g
JOIN (SELECT g.graduate_id, coalesce(max(h.valid_to_run), any_value(g.run_id)) AS valid_from_run
      FROM graduates g LEFT JOIN graduates_history h USING (graduate_id) GROUP BY g.graduate_id) v USING (graduate_id)
WHERE v.valid_from_run < $run_id
  AND g.graduate_id IN (SELECT graduate_id FROM incoming WHERE fate = 'supersede' AND graduate_changed);

-- name: update_graduates
UPDATE graduates SET organisation = i.organisation, exit_month = i.known_exit_month, birth_year = i.birth_year,
                     file_id = $file_id
FROM incoming i
WHERE i.graduate_id = graduates.graduate_id AND i.fate = 'supersede' AND i.graduate_changed;

-- name: keep_responses_history
INSERT INTO responses_history BY NAME
SELECT r.*, $run_id AS valid_to_run FROM responses r
WHERE r.valid_from_run < $run_id AND r.response_id IN (SELECT response_id FROM superseded);

-- name: keep_answers_history
INSERT INTO answers_history
SELECT a.*, r.answers_from_run, $run_id
FROM answers a JOIN responses r USING (response_id)
WHERE r.answers_from_run < $run_id AND a.response_id IN (SELECT response_id FROM superseded WHERE replaced);

-- name: keep_comments_history
-- (a form's comments were loaded with its answers)
INSERT INTO comments_history
SELECT c.response_id, c.question, c.text, c.run_id, $run_id
FROM comments c
WHERE c.run_id < $run_id AND c.response_id IN (SELECT response_id FROM superseded WHERE replaced);

-- name: drop_superseded
-- (answers and comments first: they belong to the responses)
DELETE FROM answers WHERE response_id IN (SELECT response_id FROM superseded WHERE replaced);

-- name: drop_superseded_comments
DELETE FROM comments WHERE response_id IN (SELECT response_id FROM superseded WHERE replaced);

-- name: drop_superseded_responses
DELETE FROM responses WHERE response_id IN (SELECT response_id FROM superseded WHERE replaced);

-- name: place_again
-- Her exit month changed: her other forms keep their answers, and their months since exit move with it (their
-- waves are placed again next, with `place`).
UPDATE responses SET months_since_exit = responses.months_since_exit - i.exit_shift, valid_from_run = $run_id
FROM (SELECT graduate_id, any_value(exit_shift) AS exit_shift FROM incoming
      WHERE fate = 'supersede' AND exit_changed GROUP BY graduate_id) i
WHERE i.graduate_id = responses.graduate_id
  AND responses.response_id IN (SELECT response_id FROM superseded WHERE NOT replaced);

-- name: insert_graduates
INSERT INTO graduates (graduate_id, organisation, exit_month, birth_year, run_id, file_id)
SELECT graduate_id, organisation, known_exit_month, birth_year, $run_id, $file_id
FROM incoming WHERE fate = 'load' AND ($kind = 'baseline' OR new_graduate)
QUALIFY row_number() OVER (PARTITION BY graduate_id ORDER BY _row) = 1;

-- name: insert_responses
-- (a case-closure form is wave 0; the others' waves are placed next, with `place`)
INSERT INTO responses (response_id, graduate_id, instrument, version, kind, answered_month, months_since_exit,
                       wave, run_id, file_id, source_row, source_sheet, valid_from_run, answers_from_run,
                       answers_digest, wave_declared)
SELECT response_id, graduate_id, $instrument, $version, $kind, answered_month, months_since_exit,
       CASE WHEN $kind = 'baseline' THEN 0 ELSE declared_wave END,
       $run_id, $file_id, _row, $sheet, $run_id, $run_id, digest, declared_wave IS NOT NULL
FROM incoming WHERE fate IN ('load', 'supersede');

-- name: insert_answers
INSERT INTO answers (response_id, item, value, value_num)
SELECT a.response_id, a.item, a.value, a.value_num
FROM staged_answers a
JOIN incoming i ON i._row = a._row AND i.fate IN ('load', 'supersede');

-- name: to_place
-- Every form (not a case-closure) of the graduates whose forms this table loaded, moved or superseded, with its
-- months since exit at day precision: tonight's from the export, earlier ones' from the vault (whole months when
-- the vault has none, or her exit month just moved).
SELECT r.response_id, r.graduate_id, r.instrument, r.kind, r.wave, r.valid_from_run,
       coalesce(i.months, CASE WHEN m.graduate_id IN (SELECT graduate_id FROM incoming WHERE exit_changed) THEN NULL
                               ELSE m.months END, r.months_since_exit) AS months,
       CASE WHEN r.wave_declared THEN r.wave END AS declared
FROM responses r
LEFT JOIN incoming i ON i.response_id = r.response_id AND i.fate IN ('load', 'supersede')
LEFT JOIN vault.form_months m ON m.response_id = r.response_id
WHERE r.kind <> 'baseline'
  AND r.graduate_id IN (SELECT graduate_id FROM incoming WHERE fate IN ('load', 'supersede'));

-- name: keep_moved_history
-- A form placed in another wave: its version before the move is kept (when an earlier run loaded it).
INSERT INTO responses_history BY NAME
SELECT r.*, $run_id AS valid_to_run FROM responses r JOIN placed p USING (response_id)
WHERE p.wave IS DISTINCT FROM r.wave AND r.valid_from_run < $run_id;

-- name: move_placed
UPDATE responses SET wave = p.wave, valid_from_run = $run_id
FROM placed p
WHERE p.response_id = responses.response_id AND p.wave IS DISTINCT FROM responses.wave;

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
FROM incoming WHERE fate IN ('load', 'supersede') AND link_how <> 'alias'
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
JOIN incoming AS i ON i._row = c._row AND i.fate IN ('load', 'supersede');
