-- 008: what every run computed with, and the comments of superseded forms.
-- * definitions: each set of definitions a run used, stored once (content-addressed by its digest): the
--   indicator menu, the waves, and the baseline instruments that declare grouping items. A new row appears
--   only when a definition changed, so the table grows with edits to schemas/, not with nights.
-- * run_definitions: which set each run used. `followup results --as-of-run N` computes with run N's set, so a
--   result published then is reproduced even after the menu, the waves or the groupings were edited.
-- * comments_history: the redacted comments of a form superseded by a corrected re-export, as answers_history
--   keeps its answers; current for the runs valid_from_run <= run < valid_to_run.
CREATE TABLE definitions (
    digest  VARCHAR PRIMARY KEY,  -- sha256 of body, first 16 hex digits
    body    JSON NOT NULL         -- {"indicators": [...], "waves": [...], "baseline_instruments": [...]}
);

CREATE TABLE run_definitions (
    run_id  INTEGER PRIMARY KEY,
    digest  VARCHAR NOT NULL
);

CREATE TABLE comments_history (
    response_id     VARCHAR NOT NULL,
    question        VARCHAR NOT NULL,
    text            VARCHAR NOT NULL,  -- redacted
    valid_from_run  INTEGER NOT NULL,
    valid_to_run    INTEGER NOT NULL,
    PRIMARY KEY (response_id, question, valid_from_run)
);
