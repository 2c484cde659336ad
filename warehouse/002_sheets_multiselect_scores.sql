-- 002: workbooks with several sheets, select-multiple answers, and scale scores.
-- * responses and quarantine say which sheet of a workbook a row came from;
-- * answers may hold several values for one item of one response (select-multiple), so the key
--   becomes (response_id, item, value);
-- * indicator_values keep the score of scale indicators beside the 1/0 result.

ALTER TABLE responses ADD COLUMN source_sheet VARCHAR;
ALTER TABLE quarantine ADD COLUMN sheet VARCHAR;
ALTER TABLE indicator_values ADD COLUMN score DOUBLE;

CREATE TABLE answers_002 (
    response_id  VARCHAR NOT NULL,
    item         VARCHAR NOT NULL,
    value        VARCHAR NOT NULL,
    value_num    DOUBLE,
    PRIMARY KEY (response_id, item, value)
);
INSERT INTO answers_002 SELECT response_id, item, value, value_num FROM answers;
DROP VIEW IF EXISTS answers_by_wave;
DROP TABLE answers;
ALTER TABLE answers_002 RENAME TO answers;
