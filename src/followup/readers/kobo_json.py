"""KoboToolbox JSON: a list of submissions, or the API v2 page `{"count": ..., "results": [...]}`.

Each submission is one row; its keys (`group_housing/current_housing`, `_uuid`, `_submission_time`, ...)
are the columns, the header being every key in the order first seen. Nested objects are flattened with "/"
as Kobo names grouped questions. Repeat groups (lists of objects) would need a table of their own and are
not read yet: they are dropped, and logged by name. The first submission is row 2, as in Kobo's CSV.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from followup.readers.table import RawTable, ReadError, build_table, cell_text

log = logging.getLogger(__name__)
NOT_KOBO = "the JSON holds {what}; download the data from KoboToolbox (API v2 /data.json or the JSON export) again"


def read_kobo_json(path: Path, data: bytes) -> RawTable:
    """The submissions in a KoboToolbox JSON download, one row each."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" near line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ReadError(
            path, f"this is not valid JSON{where}; the download may be cut short. Download it from KoboToolbox again"
        ) from None
    except RecursionError:
        raise ReadError(path, NOT_KOBO.format(what="values nested hundreds of levels deep")) from None
    submissions = document.get("results") if isinstance(document, dict) else document
    if not isinstance(submissions, list):
        raise ReadError(path, NOT_KOBO.format(what="neither a list of submissions nor a 'results' list"))
    if not submissions:
        raise ReadError(path, "the file holds no submissions; download it again once the form has answers")
    flat: list[dict[str, object]] = []
    for number, submission in enumerate(submissions, start=2):
        if not isinstance(submission, dict):
            raise ReadError(
                path, f"row {number} (submission {number - 1}) is not a submission object; download it again"
            )
        row: dict[str, object] = {}
        try:
            _flatten(submission, "", row)
        except RecursionError:
            raise ReadError(path, NOT_KOBO.format(what="objects nested hundreds of levels deep")) from None
        flat.append(row)
    repeats = {key for row in flat for key, value in row.items() if _is_repeat(value)}
    named = [key for key in sorted(repeats) if not key.startswith("_")]  # `_attachments` and the like are Kobo's own
    if named:
        # No file name: it may be a woman's (the run records it replaced, see anonymise.file_names).
        log.warning("a KoboToolbox JSON export's repeat groups are not read yet; dropped %s", ", ".join(named))
    header = [key for key in dict.fromkeys(key for row in flat for key in row) if key not in repeats]
    records = [[_text(row.get(key)) for key in header] for row in flat]
    return build_table(path, None, header, records, list(range(2, len(flat) + 2)))


def _flatten(value: dict[str, object], prefix: str, row: dict[str, object]) -> None:
    for key, item in value.items():
        if isinstance(item, dict):
            _flatten(item, f"{prefix}{key}/", row)
        else:
            row[f"{prefix}{key}"] = item


def _is_repeat(value: object) -> bool:
    return isinstance(value, list) and any(isinstance(element, dict | list) for element in value)


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(text for element in value if (text := cell_text(element)))
    return cell_text(value)
