-- Statements on the contact vault, attached to the warehouse connection as `vault` (an encrypted DuckDB
-- file). It holds what staff need to reach graduates; the warehouse never does.

-- name: create
CREATE TABLE IF NOT EXISTS vault.contacts (
    graduate_id   VARCHAR NOT NULL,
    alias_id      VARCHAR NOT NULL,     -- the pseudonym this identity gives (graduate_aliases in the warehouse)
    full_name     VARCHAR NOT NULL,     -- as written in the latest form
    name_key      VARCHAR NOT NULL,     -- normalised: lower case, ё → е, words sorted
    phone         VARCHAR NOT NULL,     -- E.164, '' when none
    email         VARCHAR NOT NULL,
    birth_date    DATE,
    organisation  VARCHAR NOT NULL,
    recorded      BOOLEAN NOT NULL,     -- the name as her case-closure form gives it (else a later spelling)
    last_seen     DATE NOT NULL,        -- month of the latest form with this identity
    PRIMARY KEY (graduate_id, alias_id, phone)
);

-- name: create_pending
-- Identities of forms waiting in the review queue (not yet anyone's): so that staff see the name as written.
CREATE TABLE IF NOT EXISTS vault.pending (
    alias_id      VARCHAR PRIMARY KEY,
    full_name     VARCHAR NOT NULL,
    phone         VARCHAR NOT NULL,
    last_seen     DATE NOT NULL
);

-- name: create_exits
-- Each graduate's exact exit date, from her case-closure form (or the follow-up that gave it): months since exit
-- are counted from it at day precision. The warehouse keeps only the month.
CREATE TABLE IF NOT EXISTS vault.exits (
    graduate_id   VARCHAR PRIMARY KEY,
    exit_date     DATE NOT NULL
);

-- name: create_form_months
-- Each loaded form's months since exit at day precision, so that forms loaded on later nights are placed in
-- waves against it exactly (the warehouse keeps the whole months).
CREATE TABLE IF NOT EXISTS vault.form_months (
    response_id   VARCHAR PRIMARY KEY,
    graduate_id   VARCHAR NOT NULL,
    months        DOUBLE NOT NULL
);

-- name: known
-- Every identity a graduate is known by, for linkage.
SELECT graduate_id, name_key, phone, recorded, organisation FROM vault.contacts;

-- name: upsert
-- Identities of the forms just loaded (staged_contacts), for graduates the warehouse now knows. A name once
-- recorded (from her case-closure form) stays recorded; the latest spelling and e-mail are kept.
INSERT INTO vault.contacts
SELECT s.graduate_id, s.alias_id, s.full_name, s.name_key, s.phone, s.email, s.birth_date, s.organisation,
       s.recorded, s.last_seen
FROM staged_contacts AS s
WHERE s.graduate_id IN (SELECT graduate_id FROM main.graduates)
QUALIFY row_number() OVER (PARTITION BY s.graduate_id, s.alias_id, s.phone ORDER BY s.last_seen DESC) = 1
ON CONFLICT (graduate_id, alias_id, phone) DO UPDATE SET
    full_name = excluded.full_name,
    email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE contacts.email END,
    birth_date = coalesce(excluded.birth_date, contacts.birth_date),
    recorded = contacts.recorded OR excluded.recorded,
    last_seen = greatest(contacts.last_seen, excluded.last_seen);

-- name: shift_form_months
-- A corrected case-closure moved her exit date: her forms' months since exit move with it.
UPDATE vault.form_months SET months = months - date_diff('day', e.exit_date, n.exit_date) / 30.4375
FROM vault.exits AS e,
     (SELECT graduate_id, arg_max(exit_date, last_seen)::DATE AS exit_date FROM staged_contacts
      WHERE recorded AND exit_date IS NOT NULL GROUP BY graduate_id) AS n
WHERE e.graduate_id = n.graduate_id AND form_months.graduate_id = e.graduate_id AND e.exit_date <> n.exit_date;

-- name: upsert_exits
-- A case-closure form gives her exit date (a corrected one replaces it).
INSERT OR REPLACE INTO vault.exits
SELECT graduate_id, arg_max(exit_date, last_seen)::DATE
FROM staged_contacts
WHERE recorded AND exit_date IS NOT NULL AND graduate_id IN (SELECT graduate_id FROM main.graduates)
GROUP BY graduate_id;

-- name: insert_exits
-- A follow-up that asks the exit date only gives one not known yet.
INSERT OR IGNORE INTO vault.exits
SELECT graduate_id, arg_max(exit_date, last_seen)::DATE
FROM staged_contacts
WHERE NOT recorded AND exit_date IS NOT NULL AND graduate_id IN (SELECT graduate_id FROM main.graduates)
GROUP BY graduate_id;

-- name: upsert_form_months
INSERT OR REPLACE INTO vault.form_months
SELECT s.response_id, r.graduate_id, s.months
FROM staged_form_months AS s
JOIN main.responses AS r USING (response_id)
WHERE s.months IS NOT NULL AND NOT isnan(s.months);

-- name: exit_dates
-- The exact exit dates of the graduates in the staged frame `asked` (graduate_id).
SELECT e.graduate_id, e.exit_date FROM vault.exits AS e SEMI JOIN asked AS a ON a.graduate_id = e.graduate_id;

-- name: upsert_pending
INSERT OR REPLACE INTO vault.pending
SELECT alias_id, any_value(full_name), any_value(phone), max(last_seen)
FROM staged_contacts WHERE link_how = 'review'
GROUP BY alias_id;
