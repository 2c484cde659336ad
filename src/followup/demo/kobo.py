"""Organisation C's follow-up interviews, coded by its staff in a KoboToolbox form.

The interviewer talks with the graduate and fills in the form later the same day or a few days on. The
M&E specialist downloaded Kobo's CSV export (labels as headers and answers) a few months ago and has since
pulled the newer submissions from Kobo's API as JSON (answers as choice names, Kobo's meta keys).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import partial

from followup.demo import texts
from followup.demo.answers import Contact
from followup.demo.cohort import add_months
from followup.demo.exports import Export, Line, Row, in_order
from followup.demo.formats import write_kobo_csv, write_kobo_json
from followup.demo.forms import Form

OPTIONAL = ("Телефон", "Интервьюер", "Цитаты", "Комментарий интервьюера")
# The version (and its optional columns) whose headers the JSON's keys carry. Kobo's API names keys by the
# form's XML names (e.g. "child_with_mother"), which no version of followup_interview lists yet; until one
# does, the demo writes version 1's headers as keys (switch to that version once it exists).
KOBO_JSON_FORM: tuple[str, int, tuple[str, ...]] = (
    "followup_interview",
    2,
    ("phone", "interviewer", "quotes", "comment"),
)
CSV_META = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
)
_DOWNLOADED_MONTHS_AGO = 4
_REDEPLOYED_MONTHS_AGO = 14  # the form was redeployed once: two __version__ values
_FORM = "aUq3Vx7nKp2LmR8sTb4YwE"  # the form's asset uid
_LOGIN = "malenkaya_strana"
_UTC_OFFSET = timedelta(hours=3)


def _entered(contact: Contact, today: date, rng: random.Random) -> datetime:
    """When the interviewer finished entering the interview (local time): that day or up to 3 days on,
    and never after yesterday."""
    day = min(contact.when.date() + timedelta(days=rng.randint(0, 3)), today - timedelta(days=1))
    return datetime.combine(day, time(rng.randint(9, 19), rng.randrange(60), rng.randrange(60)))


def kobo_exports(organisation: str, contacts: list[Contact], today: date, rng: random.Random) -> list[Export]:
    """The CSV export of the interviews submitted before the download, and the JSON of those after it
    (a file is left out when it would hold no interview)."""
    staff = [texts.staff_name(rng) for _ in range(3)]
    downloaded = datetime.combine(add_months(today, -_DOWNLOADED_MONTHS_AGO), time(10, 12, 44))
    redeployed = datetime.combine(add_months(today, -_REDEPLOYED_MONTHS_AGO), time(12))
    versions = ("v" + _token(rng, 21), "v" + _token(rng, 21))
    entered: dict[tuple[int, int], tuple[datetime, str]] = {}
    submissions: list[tuple[datetime, datetime, str, Contact, str]] = []  # end, first end, repeat, contact, staff
    for _, repeat, c in in_order(contacts):
        if repeat:
            first_end, interviewer = entered[(c.person, c.wave)]
            end = first_end + timedelta(minutes=rng.randint(5, 90))
        else:
            interviewer = rng.choice(staff)
            end = first_end = _entered(c, today, rng)
            entered[(c.person, c.wave)] = (end, interviewer)
        submissions.append((end, first_end, repeat, c, interviewer))
    submissions.sort(key=lambda s: (s[0], s[3].person, s[2]))

    csv_form = Form.of("followup_interview", 1, OPTIONAL)
    json_form = Form.of(*KOBO_JSON_FORM)
    csv_lines: list[Line] = []
    json_lines: list[Line] = []
    for kobo_id, (end, first_end, repeat, c, interviewer) in enumerate(submissions, start=1000 + rng.randrange(500)):
        start = end - timedelta(minutes=rng.randint(4, 25), seconds=rng.randrange(60))
        received = end - _UTC_OFFSET + timedelta(seconds=rng.randint(1, 90))
        meta = {
            "_id": kobo_id,
            "_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "_submission_time": f"{received:%Y-%m-%dT%H:%M:%S}",
            "__version__": versions[end >= redeployed],
        }
        fill = {
            "timestamp": c.when.date().isoformat(),
            "full_name": c.name,
            "phone": c.phone,
            "ignore": [interviewer],
            "free_text": [c.notes.get("quote"), c.notes.get("comment")],
        }
        times = {"start": _kobo_time(start), "end": _kobo_time(end)}
        if first_end < downloaded:
            cells: Row = {**times, **csv_form.row(c.answers, fill, rng), **meta}
            cells |= {"_status": "submitted_via_web", "_submitted_by": _LOGIN, "_index": len(csv_lines) + 1}
            csv_lines.append(Line(c.person, c.wave, c.name_variant, repeat, cells))
        else:
            submission = _submission(times, meta, json_form, c, fill, rng)
            json_lines.append(Line(c.person, c.wave, c.name_variant, repeat, submission))

    exports = []
    if csv_lines:
        name = f"Интервью_с_выпускницами_-_latest_version_-_labels_-_{downloaded:%Y-%m-%d-%H-%M-%S}.csv"
        write = partial(write_kobo_csv, headers=["start", "end", *csv_form.headers, *CSV_META])
        exports.append(Export(name, organisation, "CSV (KoboToolbox)", csv_form, csv_lines, write))
    if json_lines:
        name = f"Интервью_с_выпускницами_API_{today:%Y-%m-%d}.json"
        exports.append(Export(name, organisation, "JSON (KoboToolbox API)", json_form, json_lines, write_kobo_json))
    return exports


def _submission(
    times: Mapping[str, object],
    meta: Mapping[str, object],
    form: Form,
    contact: Contact,
    fill: Mapping[str, object],
    rng: random.Random,
) -> Row:
    """One submission as Kobo's API gives it: answers as choice names, an unanswered question left out."""
    answers = form.row(contact.answers, fill, rng, codes=True)
    return {
        "_id": meta["_id"],
        "formhub/uuid": "3f0b6c1e9a2d4b7c8e5f1a0b2c3d4e5f",
        **times,
        **answers,
        "__version__": meta["__version__"],
        "meta/instanceID": f"uuid:{meta['_uuid']}",
        "_xform_id_string": _FORM,
        "_uuid": meta["_uuid"],
        "_attachments": [],
        "_status": "submitted_via_web",
        "_geolocation": [None, None],
        "_submission_time": meta["_submission_time"],
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": _LOGIN,
    }


def _kobo_time(moment: datetime) -> str:
    """Kobo's start/end: local time with milliseconds and the offset, "2025-05-03T10:01:00.000+03:00"."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.000+03:00"


def _token(rng: random.Random, length: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(rng.choice(alphabet) for _ in range(length))
