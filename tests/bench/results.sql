-- A made-up warehouse for `tests/bench/results.py`, written straight into the tables the loader fills
-- (src/followup/sql/load.sql: insert_graduates, insert_responses, insert_answers; runs.sql: file_run,
-- file_state), with every NOT NULL column, lineage (runs, files, file_runs) and the answers digest that
-- migration 007 and `classify` compute. Chance is a hash of the row's key (`u`), so the same size gives
-- the same warehouse. Forms are placed in waves by the window rule of followup.waves (macro_wave).

-- name: macro_wave
-- The nearest configured wave within its window, max(1, round(wave × window)) (followup.waves.place, for forms
-- that declare no wave and do not share one); NULL if none.
CREATE OR REPLACE TEMP MACRO wave_of(kind, months, waves, win) AS (
    SELECT w FROM unnest(CASE WHEN kind = 'assessment' THEN [0] ELSE [] END || waves) AS t(w)
    WHERE abs(months - w) <= greatest(1, round(w * win))
    ORDER BY abs(months - w), w LIMIT 1);

-- name: macro_chance
-- A number in [0, 1) drawn from `key` and `salt`, the same every time.
CREATE OR REPLACE TEMP MACRO u(key, salt) AS (hash(key, salt) % 1000000) / 1000000.0;

-- name: items
-- What each instrument asks that an indicator of schemas/indicators.yaml scores, and how a made-up answer is
-- drawn: yes_no with `p` the chance of «yes», a Likert score 1–5 around `p` × 5, or one of the codes.
CREATE OR REPLACE TEMP TABLE bench_items AS
SELECT * FROM (VALUES
    ('case_closure', 'programme', 'choice', 0.0),
    ('case_closure', 'material_help', 'yes_no', 0.55),
    ('case_closure', 'child_with_mother', 'yes_no', 0.85),
    ('case_closure', 'housing', 'housing', 0.0),
    ('case_closure', 'income', 'yes_no', 0.30),
    ('case_closure', 'documents', 'yes_no', 0.70),
    ('case_closure', 'children_count', 'count', 0.0),
    ('case_closure', 'months_in_shelter', 'months', 0.0),
    ('adaptation_assessment', 'assessment_stage', 'stage', 0.0),
    ('adaptation_assessment', 'assess_housing', 'likert', 0.65),
    ('adaptation_assessment', 'assess_finances', 'likert', 0.55),
    ('adaptation_assessment', 'assess_documents', 'likert', 0.75),
    ('adaptation_assessment', 'assess_health', 'likert', 0.70),
    ('adaptation_assessment', 'assess_parenting', 'likert', 0.70),
    ('adaptation_assessment', 'assess_social_ties', 'likert', 0.60),
    ('adaptation_assessment', 'motivation_for_change', 'likert', 0.70),
    ('adaptation_assessment', 'active_position', 'likert', 0.65),
    ('followup_survey', 'child_with_mother', 'yes_no', 0.88),
    ('followup_survey', 'housing', 'housing', 0.0),
    ('followup_survey', 'income', 'yes_no', 0.50),
    ('followup_survey', 'repeat_crisis', 'yes_no', 0.08),
    ('followup_survey', 'support_network', 'yes_no', 0.70),
    ('followup_survey', 'parenting_confidence', 'likert', 0.75),
    ('followup_interview', 'child_with_mother', 'yes_no', 0.88),
    ('followup_interview', 'housing', 'housing', 0.0),
    ('followup_interview', 'income', 'yes_no', 0.50),
    ('followup_interview', 'repeat_crisis', 'yes_no', 0.08),
    ('followup_interview', 'support_network', 'yes_no', 0.70),
    ('followup_interview', 'documents', 'yes_no', 0.80),
    ('followup_interview', 'benefits_received', 'yes_no', 0.65),
    ('followup_interview', 'child_in_care_placement', 'yes_no', 0.03),
    ('followup_interview', 'feels_safe', 'yes_no', 0.80),
    ('followup_interview', 'parenting_confidence', 'likert', 0.75),
    ('followup_interview', 'knows_child_needs', 'likert', 0.70),
    ('followup_interview', 'manage_money', 'likert', 0.65),
    ('followup_interview', 'deal_with_offices', 'likert', 0.65),
    ('followup_interview', 'plan_future', 'likert', 0.60)
) AS t(instrument, item, draw, p);

-- name: plan_graduates
-- $graduates graduates of the three organisations (shares as in the demo), who left in 2022–2025; the
-- first two follow up with the online survey, the third with interviews.
CREATE OR REPLACE TEMP TABLE bench_graduates AS
WITH drawn AS (
    SELECT i, u(i, 'organisation') AS o FROM range($graduates) AS t(i)
)
SELECT i,
       substr(sha256('graduate|' || i), 1, 20) AS graduate_id,
       CASE WHEN o < 0.45 THEN 'Дом для мамы' WHEN o < 0.75 THEN 'Кризисный центр „Надежда“'
            ELSE 'Приют „Маленькая страна“' END AS organisation,
       CASE WHEN o < 0.75 THEN 'followup_survey' ELSE 'followup_interview' END AS followed_by,
       make_date(2022 + floor(u(i, 'year') * 4)::INTEGER, 1 + floor(u(i, 'month') * 12)::INTEGER, 1) AS exit_month,
       CASE WHEN u(i, 'born') < 0.05 THEN NULL ELSE 1980 + floor(u(i, 'born') * 24)::INTEGER END AS birth_year
FROM drawn;

-- name: plan_first_run
-- Run 1's forms: every graduate's case-closure form (wave 0), a specialist's assessment at exit for 60 %,
-- and follow-ups at each wave due by $as_of: she is reached at a wave while she stays in touch (fewer at each
-- later wave) and misses one now and then, answering up to a month before or after the wave's month.
CREATE OR REPLACE TEMP TABLE bench_responses AS
WITH follow_ups AS (
    SELECT g.*, w.wave, w.reached,
           w.wave + floor(u(g.i, 'late' || w.wave) * 3)::INTEGER - 1 AS months
    FROM bench_graduates g
    CROSS JOIN (VALUES (3, 0.75), (6, 0.65), (12, 0.55), (24, 0.42), (36, 0.32)) AS w(wave, reached)
    WHERE list_contains($waves::INTEGER[], w.wave)
      AND u(g.i, 'stays') < w.reached AND u(g.i, 'misses' || w.wave) >= 0.10
),
forms AS (
    SELECT i, graduate_id, organisation, 'case_closure' AS instrument, 2 AS version, 'baseline' AS kind,
           exit_month AS answered_month, 0 AS months_since_exit
    FROM bench_graduates
    UNION ALL
    SELECT i, graduate_id, organisation, 'adaptation_assessment', 1, 'assessment', exit_month, 0
    FROM bench_graduates WHERE u(i, 'assessed') < 0.60
    UNION ALL
    SELECT i, graduate_id, organisation, followed_by, 1, 'followup', (exit_month + to_months(months))::DATE, months
    FROM follow_ups WHERE (exit_month + to_months(months))::DATE <= $as_of
)
SELECT substr(sha256(graduate_id || '|' || instrument || '|' || answered_month), 1, 24) AS response_id,
       *, wave_of(kind, months_since_exit, $waves::INTEGER[], $window) AS wave
FROM forms;

-- name: plan_night
-- A night's new forms: $share of the graduates (at least one) answered the wave whose month just ended, at
-- which they had no form yet, in the export of that night.
CREATE OR REPLACE TEMP TABLE bench_responses AS
WITH due AS (
    SELECT g.*, w.wave, (g.exit_month + to_months(w.wave))::DATE AS answered_month
    FROM bench_graduates g
    CROSS JOIN (SELECT unnest($waves::INTEGER[]) AS wave) AS w
    WHERE (g.exit_month + to_months(w.wave))::DATE = $month
      AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.graduate_id = g.graduate_id AND r.wave = w.wave)
),
chosen AS (
    SELECT * FROM due ORDER BY u(i, 'night' || $month) LIMIT greatest(1, round($graduates * $share))::BIGINT
)
SELECT substr(sha256(graduate_id || '|' || followed_by || '|' || answered_month), 1, 24) AS response_id,
       i, graduate_id, organisation, followed_by AS instrument, 1 AS version, 'followup' AS kind, answered_month,
       wave AS months_since_exit, wave_of('followup', wave, $waves::INTEGER[], $window) AS wave
FROM chosen;

-- name: plan_answers
-- The coded answers of the planned forms (3 % of the items left blank: blank answers have no row), and each
-- form's file: one export per organisation, instrument and run.
CREATE OR REPLACE TEMP TABLE bench_answers AS
WITH drawn AS (
    SELECT r.response_id, r.months_since_exit, b.item, b.draw, b.p, u(r.response_id, b.item) AS x
    FROM bench_responses r
    JOIN bench_items b USING (instrument)
    WHERE u(r.response_id, 'blank|' || b.item) >= 0.03
),
coded AS (
    SELECT response_id, item,
           CASE draw
               WHEN 'yes_no' THEN CASE WHEN x < p THEN 'yes' ELSE 'no' END
               WHEN 'likert' THEN least(5, greatest(1, round(p * 5 + (x - 0.5) * 3 + months_since_exit / 60)))::INTEGER::VARCHAR
               WHEN 'housing' THEN CASE WHEN x < 0.15 THEN 'own' WHEN x < 0.45 THEN 'rent' WHEN x < 0.70
                   THEN 'relatives' WHEN x < 0.80 THEN 'dormitory' WHEN x < 0.88 THEN 'shelter' ELSE 'none' END
               WHEN 'choice' THEN CASE WHEN x < 0.5 THEN 'shelter' WHEN x < 0.85 THEN 'crisis' ELSE 'halfway' END
               WHEN 'stage' THEN CASE WHEN months_since_exit = 0 THEN 'exit' ELSE 'after_exit' END
               WHEN 'count' THEN (1 + floor(x * x * 4))::INTEGER::VARCHAR
               ELSE (1 + floor(x * 18))::INTEGER::VARCHAR
           END AS value,
           draw
    FROM drawn
)
SELECT response_id, item, value,
       CASE WHEN draw = 'yes_no' THEN (value = 'yes')::INTEGER::DOUBLE
            WHEN draw IN ('likert', 'count', 'months') THEN value::DOUBLE END AS value_num
FROM coded;

-- name: plan_files
-- The night's exports: one per organisation and instrument (the online survey a CSV, the others workbooks).
CREATE OR REPLACE TEMP TABLE bench_files AS
SELECT sha256(organisation || '|' || instrument || '|' || $run_id) AS file_id,
       organisation, instrument, version, kind,
       instrument || ' ' || substr(sha256(organisation), 1, 6) || ' run ' || $run_id
           || CASE WHEN instrument = 'followup_survey' THEN '.csv' ELSE '.xlsx' END AS file_name,
       count(*) AS rows_read
FROM bench_responses
GROUP BY ALL;

-- name: store_files
-- (every row read was loaded: none quarantined, none a duplicate)
INSERT INTO files (file_id, run_id, file_name, sheet, instrument, version, status, reason, rows_read, rows_loaded,
                   rows_quarantined, rows_duplicate, loaded_at, stored_as)
SELECT file_id, $run_id, file_name, NULL, instrument, version, 'loaded', NULL, rows_read, rows_read, 0, 0,
       now()::TIMESTAMP, 'processed/' || file_name
FROM bench_files;

-- name: store_file_runs
INSERT INTO file_runs (run_id, file_id, file_name, action, reason, rows_read, rows_loaded, rows_quarantined,
                       rows_duplicate)
SELECT $run_id, file_id, file_name, 'loaded', NULL, rows_read, rows_read, 0, 0 FROM bench_files;

-- name: store_graduates
INSERT INTO graduates (graduate_id, organisation, exit_month, birth_year, run_id, file_id)
SELECT g.graduate_id, g.organisation, g.exit_month, g.birth_year, $run_id, f.file_id
FROM bench_graduates g
JOIN bench_files f ON f.organisation = g.organisation AND f.kind = 'baseline';

-- name: store_responses
-- (the digest as migration 007 and load.sql's classify compute it)
INSERT INTO responses (response_id, graduate_id, instrument, version, kind, answered_month, months_since_exit,
                       wave, run_id, file_id, source_row, source_sheet, valid_from_run, answers_from_run,
                       answers_digest)
WITH digests AS (
    SELECT response_id, md5(string_agg(item || '=' || value, '|' ORDER BY item, value)) AS digest
    FROM bench_answers GROUP BY response_id
)
SELECT r.response_id, r.graduate_id, r.instrument, r.version, r.kind, r.answered_month, r.months_since_exit,
       r.wave, $run_id, f.file_id,
       1 + row_number() OVER (PARTITION BY f.file_id ORDER BY r.answered_month, r.i), NULL, $run_id, $run_id,
       coalesce(d.digest, md5(''))
FROM bench_responses r
JOIN bench_files f USING (organisation, instrument)
LEFT JOIN digests d USING (response_id);

-- name: store_answers
INSERT INTO answers (response_id, item, value, value_num)
SELECT response_id, item, value, value_num FROM bench_answers;

-- name: score_from_scratch
-- The next scoring scores everyone, as after a fresh warehouse (the values it scored with are forgotten).
DELETE FROM meta WHERE key = 'indicators_digest';

-- name: scored_through
-- The next scoring scores the graduates whose forms changed after run $run_id.
UPDATE meta SET value = $run_id::VARCHAR WHERE key = 'scored_through_run';

-- name: sizes
SELECT (SELECT count(*) FROM graduates) AS graduates, (SELECT count(*) FROM responses) AS responses,
       (SELECT count(*) FROM answers) AS answers;

-- name: counts
-- How many files the planned forms came in, and how many forms.
SELECT (SELECT count(*) FROM bench_files) AS files, (SELECT count(*) FROM bench_responses) AS forms;

-- name: values_count
SELECT count(*) AS n FROM indicator_values;
