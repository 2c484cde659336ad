-- Statements on the contact vault for staff with the key (the vault attached as `vault`): who is due for a
-- follow-up this month and how to reach her, and the erasure of one graduate (`followup due`, `followup forget`).

-- name: due
-- One row per graduate and wave falling in $month (a first day): exit month + wave months = $month, for each
-- configured wave in $waves. With her recorded name (else the latest spelling), every phone and e-mail known
-- for her (latest first), whether a follow-up of hers already counts for that wave, and her latest follow-up.
WITH due AS (
    SELECT graduate_id, organisation, exit_month, date_diff('month', exit_month, $month::DATE) AS wave
    FROM graduates
    WHERE list_contains($waves::INTEGER[], date_diff('month', exit_month, $month::DATE))
),
follow_ups AS (
    SELECT graduate_id, wave, answered_month FROM responses WHERE kind = 'followup'
),
names AS (
    SELECT graduate_id, first(full_name ORDER BY recorded DESC, last_seen DESC, full_name) AS full_name
    FROM vault.contacts GROUP BY graduate_id
),
phones AS (
    SELECT graduate_id, list(phone ORDER BY seen DESC, phone) AS phones
    FROM (SELECT graduate_id, phone, max(last_seen) AS seen FROM vault.contacts WHERE phone <> '' GROUP BY ALL)
    GROUP BY graduate_id
),
emails AS (
    SELECT graduate_id, list(email ORDER BY seen DESC, email) AS emails
    FROM (SELECT graduate_id, email, max(last_seen) AS seen FROM vault.contacts WHERE email <> '' GROUP BY ALL)
    GROUP BY graduate_id
)
SELECT
    d.graduate_id,
    d.organisation,
    d.exit_month,
    d.wave,
    n.full_name,
    coalesce(p.phones, []) AS phones,
    coalesce(e.emails, []) AS emails,
    EXISTS (SELECT 1 FROM follow_ups f WHERE f.graduate_id = d.graduate_id AND f.wave = d.wave) AS answered_wave,
    (SELECT max(f.answered_month) FROM follow_ups f WHERE f.graduate_id = d.graduate_id) AS last_answered
FROM due AS d
LEFT JOIN names AS n USING (graduate_id)
LEFT JOIN phones AS p USING (graduate_id)
LEFT JOIN emails AS e USING (graduate_id)
ORDER BY d.organisation, d.wave, n.full_name, d.graduate_id;

-- name: find_by_id
-- Graduates whose pseudonym starts with $prefix (an erasure request names one).
SELECT g.graduate_id, g.organisation, g.exit_month,
       (SELECT count(*) FROM responses r WHERE r.graduate_id = g.graduate_id) AS forms
FROM graduates AS g
WHERE starts_with(g.graduate_id, $prefix)
ORDER BY g.graduate_id;

-- name: find_by_name
-- Graduates known by the normalised name $name_key (recorded or as written in a later form).
SELECT g.graduate_id, g.organisation, g.exit_month,
       (SELECT count(*) FROM responses r WHERE r.graduate_id = g.graduate_id) AS forms
FROM graduates AS g
WHERE g.graduate_id IN (SELECT graduate_id FROM vault.contacts WHERE name_key = $name_key)
ORDER BY g.graduate_id;

-- name: recorded_name
SELECT first(full_name ORDER BY recorded DESC, last_seen DESC, full_name) FROM vault.contacts
WHERE graduate_id = $graduate_id;

-- name: source_files
-- The exports her forms were loaded from, and where each was filed (they still hold her name).
SELECT DISTINCT f.file_name, f.stored_as
FROM files AS f
WHERE f.file_id IN (SELECT file_id FROM responses WHERE graduate_id = $graduate_id
                    UNION SELECT file_id FROM graduates WHERE graduate_id = $graduate_id)
ORDER BY f.file_name;

-- The erasure: the vault first, then the warehouse (a DuckDB transaction writes to one database only). The
-- vault's statements read her aliases from the warehouse, which still has them then.

-- name: forget_contacts
DELETE FROM vault.contacts
WHERE graduate_id = $graduate_id
   OR alias_id IN (SELECT alias_id FROM main.graduate_aliases WHERE graduate_id = $graduate_id);

-- name: forget_pending
-- Identities waiting in review that are hers, or whose only candidate she is (their review goes with her).
DELETE FROM vault.pending
WHERE alias_id = $graduate_id
   OR alias_id IN (SELECT alias_id FROM main.graduate_aliases WHERE graduate_id = $graduate_id)
   OR alias_id IN (SELECT alias_id FROM main.link_reviews WHERE candidate_id = $graduate_id
                   EXCEPT SELECT alias_id FROM main.link_reviews WHERE candidate_id <> $graduate_id);

-- name: forget_exits
DELETE FROM vault.exits WHERE graduate_id = $graduate_id;

-- name: forget_form_months
-- (by her forms too: a form's row names the graduate it was first placed for)
DELETE FROM vault.form_months
WHERE graduate_id = $graduate_id
   OR response_id IN (SELECT response_id FROM main.responses WHERE graduate_id = $graduate_id
                      UNION SELECT response_id FROM main.responses_history WHERE graduate_id = $graduate_id);

-- name: tables_with_ids
-- The warehouse's tables with a column that may name a graduate or one of her forms: each must be known to
-- `forget` (a table it did not know would keep her).
SELECT DISTINCT table_name FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
  AND column_name IN ('graduate_id', 'candidate_id', 'alias_id', 'response_id')
  AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()
                     AND schema_name = 'main')
ORDER BY table_name;

-- name: forget_answers_history
-- Superseded versions of her forms (a corrected re-export kept the earlier answers): they go with her.
DELETE FROM answers_history
WHERE response_id IN (SELECT response_id FROM responses_history WHERE graduate_id = $graduate_id
                      UNION SELECT response_id FROM responses WHERE graduate_id = $graduate_id);

-- name: forget_comments_history
DELETE FROM comments_history
WHERE response_id IN (SELECT response_id FROM responses_history WHERE graduate_id = $graduate_id
                      UNION SELECT response_id FROM responses WHERE graduate_id = $graduate_id);

-- name: forget_responses_history
DELETE FROM responses_history WHERE graduate_id = $graduate_id;

-- name: forget_graduates_history
DELETE FROM graduates_history WHERE graduate_id = $graduate_id;

-- name: forget_answers
DELETE FROM answers WHERE response_id IN (SELECT response_id FROM responses WHERE graduate_id = $graduate_id);

-- name: forget_comments
DELETE FROM comments WHERE response_id IN (SELECT response_id FROM responses WHERE graduate_id = $graduate_id);

-- name: forget_indicator_values
DELETE FROM indicator_values WHERE graduate_id = $graduate_id;

-- name: forget_responses
DELETE FROM responses WHERE graduate_id = $graduate_id;

-- name: forget_link_reviews
DELETE FROM link_reviews
WHERE candidate_id = $graduate_id
   OR alias_id = $graduate_id
   OR alias_id IN (SELECT alias_id FROM graduate_aliases WHERE graduate_id = $graduate_id);

-- name: forget_graduate_aliases
DELETE FROM graduate_aliases WHERE graduate_id = $graduate_id OR alias_id = $graduate_id;

-- name: forget_graduates
DELETE FROM graduates WHERE graduate_id = $graduate_id;

-- name: checkpoint_vault
CHECKPOINT vault;

-- name: checkpoint
CHECKPOINT;

-- name: this_database
SELECT current_database();

-- name: every_identity
-- What `followup check-pii --from-vault` looks for: every graduate's recorded name, its surname (a word
-- with a Russian women's surname ending, so that a first name like Надежда, also an organisation's name,
-- is not taken for one), and every phone and e-mail the vault holds.
SELECT DISTINCT 'name: ' || full_name FROM vault.contacts WHERE recorded
UNION
SELECT DISTINCT 'name: ' || word
FROM (SELECT unnest(string_split(full_name, ' ')) AS word FROM vault.contacts WHERE recorded)
WHERE length(word) >= 5 AND regexp_matches(lower(word), '(ова|ева|ёва|ина|ына|ская|цкая)$')
UNION
SELECT DISTINCT 'phone: ' || phone FROM vault.contacts WHERE phone <> ''
UNION
SELECT DISTINCT 'email: ' || email FROM vault.contacts WHERE email <> '';
