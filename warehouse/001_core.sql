-- 001_core: the warehouse's first shape. Pseudonymised graduates, their responses and coded answers,
-- indicator values per wave, and the lineage of every run and file. No column holds a name, phone,
-- e-mail, address, exact birth date or free text.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,   -- e.g. key_fingerprint: which pseudonymisation key made the ids
    value VARCHAR NOT NULL
);

CREATE TABLE runs (
    run_id            INTEGER PRIMARY KEY,
    flow_run_id       VARCHAR,            -- Prefect's id of the flow run, when run by Prefect
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    status            VARCHAR NOT NULL,   -- running | completed | failed
    as_of             DATE NOT NULL,      -- the date results were computed for
    files_seen        INTEGER DEFAULT 0,
    files_loaded      INTEGER DEFAULT 0,
    files_rejected    INTEGER DEFAULT 0,
    files_skipped     INTEGER DEFAULT 0,  -- already loaded in an earlier run (same content)
    rows_read         INTEGER DEFAULT 0,
    rows_loaded       INTEGER DEFAULT 0,
    rows_quarantined  INTEGER DEFAULT 0,
    rows_duplicate    INTEGER DEFAULT 0,
    message           VARCHAR             -- why a run failed (no personal data)
);

CREATE TABLE files (
    file_id           VARCHAR PRIMARY KEY,  -- sha256 of the file's bytes
    run_id            INTEGER NOT NULL,
    file_name         VARCHAR NOT NULL,
    sheet             VARCHAR,
    instrument        VARCHAR,
    version           INTEGER,
    status            VARCHAR NOT NULL,     -- loaded | rejected
    reason            VARCHAR,              -- why a file was rejected, and what to do
    rows_read         INTEGER DEFAULT 0,
    rows_loaded       INTEGER DEFAULT 0,
    rows_quarantined  INTEGER DEFAULT 0,
    rows_duplicate    INTEGER DEFAULT 0,
    loaded_at         TIMESTAMP NOT NULL
);

CREATE TABLE graduates (
    graduate_id   VARCHAR PRIMARY KEY,  -- keyed pseudonym of the normalised identity
    organisation  VARCHAR NOT NULL,
    exit_month    DATE NOT NULL,        -- first day of the month she left
    birth_year    INTEGER,
    run_id        INTEGER NOT NULL,
    file_id       VARCHAR NOT NULL
);

CREATE TABLE responses (
    response_id        VARCHAR PRIMARY KEY,  -- one filled-in form: hash of graduate, instrument and time
    graduate_id        VARCHAR NOT NULL,
    instrument         VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    kind               VARCHAR NOT NULL,     -- baseline | followup
    answered_month     DATE NOT NULL,        -- first day of the month the form was filled in
    months_since_exit  INTEGER NOT NULL,     -- calendar months from the exit month to the answer's month
    wave               INTEGER,              -- nearest configured wave within its window; NULL if none
    run_id             INTEGER NOT NULL,
    file_id            VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL      -- row number in the file (header = 1)
);

CREATE TABLE answers (
    response_id  VARCHAR NOT NULL,
    item         VARCHAR NOT NULL,   -- item code from the instrument definition
    value        VARCHAR NOT NULL,   -- coded answer: option code, yes/no, or the number as text
    value_num    DOUBLE,             -- numeric value for yes/no (1/0), Likert and number items
    PRIMARY KEY (response_id, item)
);

CREATE TABLE indicator_values (
    graduate_id        VARCHAR NOT NULL,
    indicator          VARCHAR NOT NULL,
    wave               INTEGER NOT NULL,
    months_since_exit  INTEGER NOT NULL,
    value              DOUBLE NOT NULL,  -- 1/0 for state indicators
    response_id        VARCHAR NOT NULL,
    PRIMARY KEY (graduate_id, indicator, wave)
);

CREATE TABLE quarantine (
    run_id      INTEGER NOT NULL,
    file_id     VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    source_row  INTEGER NOT NULL,
    column_name VARCHAR NOT NULL,
    check_name  VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL
);
