-- 006: comments and open answers, redacted. A form's free-text answers (columns with role free_text) are
-- kept for qualitative analysis after person names, phones, e-mails, addresses and dates in them were
-- replaced by [ИМЯ], [ТЕЛЕФОН], [EMAIL], [АДРЕС], [ДАТА] (src/followup/anonymise/redact.py).
CREATE TABLE comments (
    response_id  VARCHAR NOT NULL,
    question     VARCHAR NOT NULL,   -- the export's column header
    text         VARCHAR NOT NULL,   -- redacted
    run_id       INTEGER NOT NULL,
    PRIMARY KEY (response_id, question)
);
