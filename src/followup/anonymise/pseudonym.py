"""Keyed pseudonyms (HMAC-SHA256 under the home's key) and coarse dates: what replaces identity."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import pandas as pd

from followup.anonymise.identity import normalise_name, normalise_phone
from followup.validate import Checked

ID_HEX = 20  # 80 bits: collisions are negligible for any shelter's number of graduates


def pseudonym(key: bytes, kind: str, normalised: str) -> str:
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()[:ID_HEX]


def graduate_ids(names: pd.Series, phones: pd.Series, key: bytes, region: str) -> pd.Series:
    """A graduate's id from her normalised full name, or from her phone when no name was given."""
    out = []
    for name, phone in zip(names, phones, strict=True):
        n = normalise_name(name)
        out.append(pseudonym(key, "name", n) if n else pseudonym(key, "phone", normalise_phone(phone, region)))
    return pd.Series(out, index=names.index, dtype="string")


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
    responses: pd.DataFrame  # _row, response_id, graduate_id, organisation, answered_month,
    # exit_month, birth_year
    answers: pd.DataFrame  # _row, response_id, item, value, value_num


def anonymise(checked: Checked, key: bytes, region: str, organisation: str) -> Anonymised:
    """Replace name and phone by a keyed pseudonym, exit and birth dates by month and year; drop free text."""
    rec = checked.records
    gid = graduate_ids(rec["full_name"], rec["phone"], key, region)
    when = rec["exit_date"] if checked.kind == "baseline" else rec["timestamp"]
    # A form is identified by its submission id when the export has one (KoboToolbox's _uuid), else by
    # who filled it in and when: a cumulative re-export then gives the same ids and is not loaded twice.
    response_id = [
        hashlib.sha256(
            (f"{checked.instrument}|{s}" if s else f"{g}|{checked.instrument}|{w.isoformat()}").encode()
        ).hexdigest()[:24]
        for g, w, s in zip(gid, when, rec["submission_id"], strict=True)
    ]
    org = rec["organisation"].where(rec["organisation"] != "", organisation)
    responses = pd.DataFrame(
        {
            "_row": rec["_row"].astype("int64"),
            "response_id": response_id,
            "graduate_id": gid,
            "organisation": org.astype("string"),
            "answered_month": _month(when),
            "exit_month": _month(rec["exit_date"]),
            "birth_year": pd.to_datetime(rec["birth_date"]).dt.year.astype("Int64"),
        }
    )
    ids = dict(zip(rec["_row"], response_id, strict=True))
    answers = checked.answers.assign(response_id=checked.answers["_row"].map(ids))
    answers = answers[["_row", "response_id", "item", "value", "value_num"]]
    return Anonymised(checked.instrument, checked.version, checked.kind, responses, answers)
