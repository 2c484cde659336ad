-- 005: linkage of a graduate's answers across waves, and the review queue.
-- * graduate_aliases: every pseudonym an identity was written under (the keyed hash of a normalised name
--   or phone) and the graduate it was linked to, with how; graduate_id NULL: a person decided it is not
--   the candidate. A name once linked stays linked: ids never change.
-- * link_reviews: forms whose writer may be a known graduate but not surely; `followup review` shows them
--   (by pseudonym and similarity only) and records the decision. The form waits in quarantine meanwhile.

CREATE TABLE graduate_aliases (
    alias_id     VARCHAR PRIMARY KEY,   -- keyed pseudonym of the identity as written
    graduate_id  VARCHAR,               -- who it is; NULL = decided: not the candidate
    how          VARCHAR NOT NULL,      -- exact | phone | fuzzy | accepted | split
    similarity   DOUBLE,                -- of the names, 0-100
    run_id       INTEGER NOT NULL
);

CREATE TABLE link_reviews (
    alias_id      VARCHAR NOT NULL,
    candidate_id  VARCHAR NOT NULL,     -- the graduate she may be
    similarity    DOUBLE NOT NULL,
    forms         INTEGER NOT NULL,     -- how many quarantined forms wait on this decision
    run_id        INTEGER NOT NULL,     -- the run that asked
    decision      VARCHAR,              -- NULL = waiting; accepted | split
    decided_at    TIMESTAMP,
    PRIMARY KEY (alias_id, candidate_id)
);
