-- 007: history. A corrected re-export (the same form, changed answers) or a corrected case-closure (her exit
-- month or birth year changed) supersedes the version loaded before without deleting it.
-- * graduates, responses and answers keep the current version of each row. A response says which run loaded
--   its current version (valid_from_run) and its current answers (answers_from_run: a form placed in another
--   wave keeps its answers), and a digest of its coded answers, so that a form loaded again is told apart
--   cheaply: the same answers are a duplicate, other answers a new version. A graduate's current version is
--   from the run that first loaded her (run_id) or, if corrected, the run that superseded her last version.
-- * graduates_history, responses_history and answers_history keep every superseded version with the run that
--   loaded it and the run that superseded it (valid_to_run): the version was current for the runs
--   valid_from_run <= run < valid_to_run. `Warehouse.as_of_run` rebuilds the warehouse of any earlier run.
-- Rows loaded before this migration are valid from the run that loaded them.

ALTER TABLE responses ADD COLUMN valid_from_run INTEGER;
ALTER TABLE responses ADD COLUMN answers_from_run INTEGER;
ALTER TABLE responses ADD COLUMN answers_digest VARCHAR;
UPDATE responses SET valid_from_run = run_id, answers_from_run = run_id;
UPDATE responses SET answers_digest = d.digest
FROM (
    SELECT r.response_id,
           md5(coalesce(string_agg(a.item || '=' || a.value, '|' ORDER BY a.item, a.value), '')) AS digest
    FROM responses AS r
    LEFT JOIN answers AS a USING (response_id)
    GROUP BY r.response_id
) AS d
WHERE d.response_id = responses.response_id;


CREATE TABLE graduates_history (
    graduate_id     VARCHAR NOT NULL,
    organisation    VARCHAR NOT NULL,
    exit_month      DATE NOT NULL,
    birth_year      INTEGER,
    run_id          INTEGER NOT NULL,   -- the run that first loaded her
    file_id         VARCHAR NOT NULL,   -- the file this version came from
    valid_from_run  INTEGER NOT NULL,
    valid_to_run    INTEGER NOT NULL,   -- the run whose corrected case-closure superseded this version
    PRIMARY KEY (graduate_id, valid_from_run)
);

CREATE TABLE responses_history (
    response_id        VARCHAR NOT NULL,
    graduate_id        VARCHAR NOT NULL,
    instrument         VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    kind               VARCHAR NOT NULL,
    answered_month     DATE NOT NULL,
    months_since_exit  INTEGER NOT NULL,
    wave               INTEGER,
    run_id             INTEGER NOT NULL,
    file_id            VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    source_sheet       VARCHAR,
    valid_from_run     INTEGER NOT NULL,
    answers_from_run   INTEGER NOT NULL,
    answers_digest     VARCHAR,
    valid_to_run       INTEGER NOT NULL,  -- the run that loaded a corrected version, or moved her exit month
    PRIMARY KEY (response_id, valid_from_run)
);

CREATE TABLE answers_history (
    response_id     VARCHAR NOT NULL,
    item            VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,
    value_num       DOUBLE,
    valid_from_run  INTEGER NOT NULL,
    valid_to_run    INTEGER NOT NULL,
    PRIMARY KEY (response_id, item, value, valid_from_run)
);
