-- answers_by_wave: one row per coded answer — one graduate's answer to one item in one filled-in form,
-- with the graduate's organisation and exit month and the form's wave. The researcher's usual start.
CREATE OR REPLACE VIEW answers_by_wave AS
SELECT
    r.graduate_id,
    g.organisation,
    g.exit_month,
    r.instrument,
    r.version,
    r.kind,
    r.wave,
    r.months_since_exit,
    r.answered_month,
    a.item,
    a.value,
    a.value_num,
    r.response_id
FROM answers AS a
JOIN responses AS r ON r.response_id = a.response_id
JOIN graduates AS g ON g.graduate_id = r.graduate_id;
