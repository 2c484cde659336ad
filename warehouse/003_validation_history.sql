-- 003: validation history. One row per expectation checked on one table of one file in one run, as Great
-- Expectations reported it: how many cells were checked and how many failed. No values are kept.
CREATE TABLE validation_results (
    run_id            INTEGER NOT NULL,
    file_id           VARCHAR NOT NULL,
    file_name         VARCHAR NOT NULL,
    sheet             VARCHAR,
    instrument        VARCHAR NOT NULL,
    version           INTEGER NOT NULL,
    check_name        VARCHAR NOT NULL,   -- e.g. answer_in_options, timestamp_format, identity_present
    column_name       VARCHAR NOT NULL,   -- the export's column header, or 'identity'
    expectation       VARCHAR NOT NULL,   -- the GX expectation, e.g. expect_column_values_to_be_in_set
    element_count     INTEGER NOT NULL,
    unexpected_count  INTEGER NOT NULL,
    success           BOOLEAN NOT NULL
);
