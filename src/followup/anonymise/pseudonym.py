"""Keyed pseudonyms (HMAC-SHA256 under the home's key) and coarse dates: what replaces identity."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Collection
from dataclasses import dataclass

import pandas as pd

from followup.anonymise.identity import normalise_name, normalise_phone
from followup.organisations import Network
from followup.validate import Checked
from followup.waves import months_since

ID_HEX = 20  # 80 bits: collisions are negligible for any shelter's number of graduates


def pseudonym(key: bytes, kind: str, normalised: str) -> str:
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()[:ID_HEX]


def alias_ids(name_keys: pd.Series, phones: pd.Series, key: bytes, scopes: pd.Series | None = None) -> pd.Series:
    """The pseudonym of each identity as written: of the normalised name, or of the phone when no name was
    given. A graduate's id is the alias of her first identity; later ones are linked to it. In a network
    (followup.organisations) the scope is her organisation's code: namesakes of two shelters are two women."""
    scopes = pd.Series("", index=name_keys.index) if scopes is None else scopes
    done: dict[tuple[str, str, str], str] = {}
    out = []
    for n, p, s in zip(name_keys, phones, scopes, strict=True):
        if (n, p, s) not in done:  # a woman's forms repeat her identity: each is hashed once
            done[(n, p, s)] = pseudonym(key, "name", _scoped(s, n)) if n else pseudonym(key, "phone", _scoped(s, p))
        out.append(done[(n, p, s)])
    return pd.Series(out, index=name_keys.index, dtype="string")


def _scoped(scope: str, value: str) -> str:
    return f"{scope}/{value}" if scope else value  # (no scope: the pseudonyms of a home of one organisation)


def identities(
    checked: Checked,
    key: bytes,
    region: str,
    organisation: str,
    network: Network | None = None,
    stated: bool = False,
) -> pd.DataFrame:
    """Who wrote each form, for linkage and the contact vault only (never the warehouse): _row, alias_id,
    name_key, phone (E.164), organisation, full_name, email, birth_date, last_seen (the form's month), exit_date
    (exact, when the form gives it: to count her months since exit at day precision), and linked_within (the
    organisation among whose graduates she is looked for first: '' when nothing but the home's default says it).

    `organisation`: the form's organisation when its organisation column is empty (or absent): the export's
    (`stated`, by its folder or name) or the home's default; a column's answer naming one of the `network`'s
    organisations is kept as its name."""
    rec = checked.records
    names = pd.Series(_per_distinct(rec["full_name"], normalise_name), index=rec.index, dtype="string")
    phones = pd.Series(
        list(_per_distinct(rec["phone"], lambda p: normalise_phone(p, region))), index=rec.index, dtype="string"
    )
    answered = rec["organisation"] != ""
    orgs = rec["organisation"].where(answered, organisation).astype("string")
    scopes = None
    if network is not None and network.configured:
        orgs = pd.Series(_per_distinct(orgs, network.canonical), index=rec.index, dtype="string")
        scopes = pd.Series(_per_distinct(orgs, network.code), index=rec.index, dtype="string")
    when = rec["exit_date"] if checked.kind == "baseline" else rec["timestamp"]
    return pd.DataFrame(
        {
            "_row": rec["_row"].astype("int64"),
            "alias_id": alias_ids(names, phones, key, scopes),
            "name_key": names,
            "phone": phones,
            "organisation": orgs,
            "linked_within": orgs.where(answered | stated, ""),
            "full_name": rec["full_name"].astype("string"),
            "email": rec["email"].astype("string"),
            "birth_date": pd.to_datetime(rec["birth_date"]).dt.normalize(),
            "last_seen": _month(when),
            "exit_date": pd.to_datetime(rec["exit_date"]).dt.normalize(),
        }
    )


def _per_distinct(values: pd.Series, fn: Callable[[str], str]) -> list[str]:
    done = {v: fn(v) for v in pd.unique(values)}
    return [done[v] for v in values]


def _month(dates: pd.Series) -> pd.Series:
    """The first day of each date's month: exact dates never leave this stage. (A datetime column, so that an
    empty one still has a date type when the warehouse reads it.)"""
    return pd.to_datetime(dates).dt.to_period("M").dt.start_time


@dataclass(frozen=True)
class Anonymised:
    """Rows with identity replaced: nothing here names, reaches or dates a woman exactly."""

    instrument: str
    version: int
    kind: str
    responses: pd.DataFrame  # _row, response_id, graduate_id, alias_id, link_how, candidate_id, similarity,
    # organisation, answered_month, exit_month, birth_year, months_exact (since exit, at day precision; NaN when
    # her exact exit date is unknown), declared_wave (NA when the form declares none)
    answers: pd.DataFrame  # _row, response_id, item, value, value_num
    comments: pd.DataFrame | None = None  # _row, response_id, question, text (redacted)


def anonymise(
    checked: Checked, who: pd.DataFrame, keep_comments: bool = True, keep_words: Collection[str] = ()
) -> Anonymised:
    """Replace identity by pseudonyms, exit and birth dates by month and year; redact free text (names,
    phones, e-mails, addresses and dates become [ИМЯ], [ТЕЛЕФОН], ...), or drop it (`keep_comments`).
    `keep_words`: the organisations' names, never taken for a woman's (followup.organisations).

    `who` is `identities()` with linkage's columns added: graduate_id, link_how, candidate_id, similarity, and
    exit_date filled in from the contact vault for a graduate known before (NaT if unknown).
    """
    rec = checked.records
    when = rec["exit_date"] if checked.kind == "baseline" else rec["timestamp"]
    # A form is identified by its submission id when the export has one (KoboToolbox's _uuid), else by the
    # identity as written and when: a cumulative re-export then gives the same ids and is not loaded twice.
    response_id = [
        hashlib.sha256(
            (f"{checked.instrument}|{s}" if s else f"{a}|{checked.instrument}|{w.isoformat()}").encode()
        ).hexdigest()[:24]
        for a, w, s in zip(who["alias_id"], when, rec["submission_id"], strict=True)
    ]
    responses = pd.DataFrame(
        {
            "_row": rec["_row"].astype("int64"),
            "response_id": response_id,
            "graduate_id": who["graduate_id"].astype("string"),
            "alias_id": who["alias_id"].astype("string"),
            "link_how": who["link_how"].astype("string"),
            "candidate_id": who["candidate_id"].astype("string"),
            "similarity": who["similarity"].astype("float64"),
            "organisation": who["organisation"].astype("string"),
            "answered_month": _month(when),
            "exit_month": _month(rec["exit_date"]),
            "birth_year": pd.to_datetime(rec["birth_date"]).dt.year.astype("Int64"),
            "months_exact": 0.0 if checked.kind == "baseline" else months_since(who["exit_date"], when),
            "declared_wave": rec["wave"].astype("Int64"),
        }
    )
    ids = dict(zip(rec["_row"], response_id, strict=True))
    answers = checked.answers.assign(response_id=checked.answers["_row"].map(ids))
    answers = answers[["_row", "response_id", "item", "value", "value_num"]]
    comments = None
    if keep_comments and checked.comments is not None and len(checked.comments):
        from followup.anonymise.redact import redact

        distinct = list(pd.unique(checked.comments["text"]))  # the same comment is redacted once
        redacted = dict(zip(distinct, redact(distinct, keep_words), strict=True))
        comments = checked.comments.assign(
            response_id=checked.comments["_row"].map(ids), text=checked.comments["text"].map(redacted)
        )
    return Anonymised(checked.instrument, checked.version, checked.kind, responses, answers, comments)
