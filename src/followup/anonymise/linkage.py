"""Linkage: which known graduate wrote a follow-up, when her name is not written as in her case-closure form.

Exact matching on the normalised name misses a typo, a missing patronymic, initials or a new phone. Here
each distinct incoming identity (normalised name, phone, organisation) is compared with the known
graduates' identities from the contact vault, with rapidfuzz's string similarity:

1. the same phone as exactly one graduate, with a name alike (NAME_LIKE_PHONE): linked (`phone`);
2. the same normalised name as exactly one graduate's recorded name (from her case-closure form): linked
   (`exact`); two namesakes: to review;
3. otherwise the most similar name among every name the graduates are known by (rapidfuzz's
   `process.extract` finds the few nearest, which are then scored closely): linked (`fuzzy`) when it
   scores at least LINK and clearly above the next graduate (MARGIN); sent to the review queue (`review`)
   when it scores at least REVIEW, or when two graduates score alike; else not linked (`none`).

A name a graduate was linked under later (say, without her patronymic) is only ever a fuzzy candidate: it
may be another woman's too.

Names are compared word by word whatever their order: token_set_ratio forgives a missing patronymic,
token_sort_ratio a typo, and a name written with initials ("Иванова А. П.") is compared on its full words,
its initials having to match the first letters of the candidate's other words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

LINK = 90.0  # a name this similar to one graduate's, and clearly more than to any other's, is hers
REVIEW = 75.0  # from here up to LINK (or when two graduates score alike) a person decides
MARGIN = 5.0  # how far ahead of the next graduate the best one must be
NAME_LIKE_PHONE = 75.0  # a shared phone links only when the names are alike (not a relative's phone, a new surname)
NEAREST = 20  # names scored closely per incoming name
NEAR = 50.0  # the quick first score a name must reach to be scored closely


@dataclass(frozen=True)
class Decision:
    graduate_id: str | None  # who she is, when linked
    how: str  # exact | phone | fuzzy | review | none
    candidate: str | None  # for review: the graduate she may be
    similarity: float  # of the names, 0–100


def name_similarity(a: str, b: str) -> float:
    """0–100: how alike two normalised names are (words sorted, lower case, ё → е)."""
    if not a or not b:
        return 0.0
    words_a, words_b = a.split(), b.split()
    initials_a = [w for w in words_a if len(w) == 1]
    if initials_a and len(initials_a) < len(words_a):
        return _with_initials([w for w in words_a if len(w) > 1], initials_a, words_b)
    initials_b = [w for w in words_b if len(w) == 1]
    if initials_b and len(initials_b) < len(words_b):
        return _with_initials([w for w in words_b if len(w) > 1], initials_b, words_a)
    return max(fuzz.token_sort_ratio(a, b), fuzz.token_set_ratio(a, b) - 2.0)


def _with_initials(full: list[str], initials: list[str], other: list[str]) -> float:
    """A name with initials: each full word against its best match, every initial the first letter of
    another word of the other name; 0 when an initial matches none."""
    left = list(other)
    scores = []
    for word in full:
        best = max(left, key=lambda w: fuzz.ratio(word, w), default=None)
        if best is None:
            return 0.0
        scores.append(fuzz.ratio(word, best))
        left.remove(best)
    for letter in initials:
        match = next((w for w in left if w.startswith(letter)), None)
        if match is None:
            return 0.0
        left.remove(match)
    # an initial says less than a word: a name given as initials is never more than LINK-worthy by itself
    return min(sum(scores) / len(scores), LINK + 1.0)


@dataclass
class _Known:
    """The known identities, indexed for `_decide`."""

    recorded: dict[str, set[str]]
    by_phone: dict[str, set[str]]
    names_of: dict[str, set[str]]
    graduates_named: dict[str, set[str]]
    names: list[str]

    @classmethod
    def of(cls, known: pd.DataFrame) -> _Known:
        index = cls({}, {}, {}, {}, [])
        for gid, name, phone, own in known[["graduate_id", "name_key", "phone", "recorded"]].itertuples(index=False):
            if name:
                index.names_of.setdefault(gid, set()).add(name)
                index.graduates_named.setdefault(name, set()).add(gid)
                if own:
                    index.recorded.setdefault(name, set()).add(gid)
            if phone:
                index.by_phone.setdefault(phone, set()).add(gid)
        index.names = list(index.graduates_named)
        return index

    def decide(self, name: str, phone: str) -> Decision:
        return _decide(name, phone, self.recorded, self.by_phone, self.names_of, self.graduates_named, self.names)


def link(incoming: pd.DataFrame, known: pd.DataFrame) -> list[Decision]:
    """One decision per incoming row.

    incoming: name_key, phone and, optionally, linked_within (one row per form). known: graduate_id, name_key,
    phone, recorded (True when the name is the one her case-closure form gives) and, optionally, organisation;
    one row per identity, several per graduate are fine. A form that says its organisation (linked_within) is
    first linked among the graduates of that organisation; only when none of them may be her, among all.
    """
    everyone = _Known.of(known)
    by_org: dict[str, _Known] = {}
    several = "organisation" in known and "linked_within" in incoming and known["organisation"].nunique() > 1
    orgs = incoming["linked_within"].fillna("") if several else pd.Series("", index=incoming.index)
    decided: dict[tuple[str, str, str], Decision] = {}
    out = []
    for name, phone, org in zip(incoming["name_key"], incoming["phone"], orgs, strict=True):
        if (name, phone, org) not in decided:
            decision = Decision(None, "none", None, 0.0)
            if org:
                if org not in by_org:
                    by_org[org] = _Known.of(known[known["organisation"] == org])
                decision = by_org[org].decide(name, phone)
            if decision.how == "none":
                decision = everyone.decide(name, phone)
            decided[(name, phone, org)] = decision
        out.append(decided[(name, phone, org)])
    return out


def _decide(
    name: str,
    phone: str,
    recorded: dict[str, set[str]],
    by_phone: dict[str, set[str]],
    names_of: dict[str, set[str]],
    graduates_named: dict[str, set[str]],
    names: list[str],
) -> Decision:
    same_phone = by_phone.get(phone, set()) if phone else set()
    if len(same_phone) == 1:
        gid = next(iter(same_phone))
        similarity = max((name_similarity(name, n) for n in names_of.get(gid, ())), default=0.0) if name else 100.0
        if similarity >= NAME_LIKE_PHONE:
            return Decision(gid, "phone", None, similarity)
    same_name = recorded.get(name, set()) if name else set()
    if len(same_name) == 1:
        return Decision(next(iter(same_name)), "exact", None, 100.0)
    if len(same_name) > 1:  # namesakes, and no phone tells them apart
        return Decision(None, "review", sorted(same_name)[0], 100.0)
    if not name:
        return Decision(None, "none", None, 0.0)
    best: dict[str, float] = {}
    for other, _, _ in process.extract(name, names, scorer=fuzz.token_set_ratio, limit=NEAREST, score_cutoff=NEAR):
        score = name_similarity(name, other)
        for gid in graduates_named[other]:
            if score >= REVIEW and score > best.get(gid, 0.0):
                best[gid] = score
    if len(same_phone) == 1:  # her phone, but a name unlike: a relative's phone, or a new surname?
        gid = next(iter(same_phone))
        best.setdefault(gid, 0.0)
    if not best:
        return Decision(None, "none", None, 0.0)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    gid, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if score >= LINK and score - runner_up >= MARGIN:
        return Decision(gid, "fuzzy", None, score)
    if score < REVIEW and gid not in same_phone:
        return Decision(None, "none", None, score)
    return Decision(None, "review", gid, score)
