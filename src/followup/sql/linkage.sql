-- Statements about linkage: identity pseudonyms (aliases) linked to graduates, and the review queue.

-- name: aliases
SELECT alias_id, graduate_id FROM graduate_aliases WHERE NOT $decided_only OR how IN ('accepted', 'split');

-- name: waiting_reviews
SELECT r.alias_id, r.candidate_id, r.similarity, r.forms, r.run_id, g.organisation, g.exit_month
FROM link_reviews AS r
LEFT JOIN graduates AS g ON g.graduate_id = r.candidate_id
WHERE r.decision IS NULL
ORDER BY r.similarity DESC, r.alias_id;

-- name: waiting_reviews_named
-- The same, with names from the contact vault (attached): for staff deciding, never stored elsewhere.
SELECT r.alias_id, r.candidate_id, r.similarity, r.forms, r.run_id, g.organisation, g.exit_month,
       (SELECT any_value(v.full_name) FROM vault.pending v WHERE v.alias_id = r.alias_id) AS written,
       (SELECT any_value(c.full_name) FROM vault.contacts c
        WHERE c.graduate_id = r.candidate_id AND c.recorded) AS recorded_name
FROM link_reviews AS r
LEFT JOIN graduates AS g ON g.graduate_id = r.candidate_id
WHERE r.decision IS NULL
ORDER BY r.similarity DESC, r.alias_id;

-- name: find_review
SELECT alias_id, candidate_id, similarity FROM link_reviews
WHERE decision IS NULL AND starts_with(alias_id, $prefix);

-- name: decide
UPDATE link_reviews SET decision = $decision, decided_at = now()::TIMESTAMP
WHERE alias_id = $alias_id AND candidate_id = $candidate_id AND decision IS NULL;

-- name: record_decision
INSERT OR REPLACE INTO graduate_aliases VALUES ($alias_id, $graduate_id, $decision, $similarity, $run_id);
