"""Reaching graduates and forgetting one, with the contact vault: `followup due` and `followup forget`.

Both read names and phones, so both need the vault attached (`wh.attach_vault`): staff with the key only.
`due` lists who is due for a follow-up wave in a month and how to reach her. `forget` answers an erasure
request: it deletes the graduate from the vault and the warehouse, and `erase` then rewrites both files,
because DuckDB frees the blocks of deleted rows without overwriting them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import phonenumbers

from followup import keys
from followup.anonymise.identity import normalise_name
from followup.home import Home
from followup.warehouse import Warehouse, WarehouseError

SQL = "contacts.sql"
SHORT_ID = 12  # as `followup review` shows pseudonyms
MIN_PREFIX = 8  # an erasure cannot be undone: a shorter start could name the wrong woman by chance
_HEX = re.compile(r"^[0-9a-f]+$")

VAULT_STATEMENTS = {
    "contacts": "forget_contacts",
    "pending": "forget_pending",
    "exits": "forget_exits",
    "form_months": "forget_form_months",
}
# Every warehouse table that can hold a graduate's id or one of her forms' ids, in an order that deletes what
# refers to a row before the row. (A table an older warehouse lacks, e.g. `comments` before 006, is skipped.)
WAREHOUSE_STATEMENTS = {
    "answers_history": "forget_answers_history",
    "comments_history": "forget_comments_history",
    "answers": "forget_answers",
    "comments": "forget_comments",
    "indicator_values": "forget_indicator_values",
    "responses_history": "forget_responses_history",
    "responses": "forget_responses",
    "link_reviews": "forget_link_reviews",
    "graduate_aliases": "forget_graduate_aliases",
    "graduates_history": "forget_graduates_history",
    "graduates": "forget_graduates",
}

COLUMNS_RU = {
    "graduate": "Псевдоним",
    "organisation": "Организация",
    "exit_month": "Месяц выхода",
    "wave": "Волна (мес. после выхода)",
    "full_name": "ФИО",
    "phones": "Телефоны",
    "emails": "Эл. почта",
    "answered_wave": "Уже ответила на эту волну",
    "last_answered": "Последний ответ (месяц)",
}
WARNING_RU = (
    "Файл содержит персональные данные выпускниц (ФИО, телефоны, эл. почту). Не пересылайте его, не "
    "выкладывайте в облако и не кладите в синхронизируемые папки; удалите после обзвона."
)


class ContactsError(WarehouseError):
    """A graduate cannot be found as asked, or a month is malformed; the message says what to do."""


# -- due ----------------------------------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    """`2027-03` → 1 March 2027."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ContactsError(f"A month is written YYYY-MM, e.g. 2027-03 (got '{text}').") from None


def due(wh: Warehouse, month: dt.date, waves: list[int]) -> pd.DataFrame:
    """Graduates with a wave in `month` (exit month + wave = month, for each of `waves`), one row per graduate
    and wave: graduate_id, organisation, exit_month, wave, full_name (recorded, else the latest spelling),
    phones and emails (lists, latest first), answered_wave (a follow-up of hers already counts for that wave),
    last_answered (the month of her latest follow-up, or NaT). Forgotten graduates are no longer there."""
    return wh.run(SQL, "due", month=month.replace(day=1), waves=waves).df()


def for_caller(table: pd.DataFrame, region: str = "RU") -> pd.DataFrame:
    """The `due` table as the caller reads it: Russian headers, short pseudonyms, phones as dialled."""
    out = pd.DataFrame(
        {
            "graduate": table["graduate_id"].str[:SHORT_ID],
            "organisation": table["organisation"],
            "exit_month": [_month(m) for m in table["exit_month"]],
            "wave": table["wave"].astype(int),
            "full_name": table["full_name"].fillna(""),
            "phones": [", ".join(_dialled(p, region) for p in phones) for phones in table["phones"]],
            "emails": [", ".join(emails) for emails in table["emails"]],
            "answered_wave": ["да" if a else "нет" for a in table["answered_wave"]],
            "last_answered": [_month(m) if pd.notna(m) else "—" for m in table["last_answered"]],
        }
    )
    return out.rename(columns=COLUMNS_RU)


def _month(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")  # type: ignore[arg-type]


def _dialled(e164: str, region: str) -> str:
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def write_xlsx(table: pd.DataFrame, path: Path, sheet: str) -> Path:
    """Write the caller's table (from `for_caller`) to an XLSX only its owner may read (mode 0600).

    The workbook is built in memory (no temporary files holding names) and written through a file opened 0600,
    so it is never readable by others, not even for a moment; an existing file is overwritten and made 0600.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": {"in_memory": True}}) as xl:
        table.to_excel(xl, sheet_name=sheet, index=False)
        pd.DataFrame({"Внимание": [WARNING_RU]}).to_excel(xl, sheet_name="Внимание", index=False)
        xl.sheets[sheet].set_column(0, len(table.columns) - 1, 20)
        xl.sheets[sheet].set_column(4, 5, 36)
        xl.sheets["Внимание"].set_column(0, 0, 120)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(buffer.getvalue())
    return path


# -- forget -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graduate:
    """A graduate an erasure request names, as staff confirm it: who, where, when, how many forms."""

    graduate_id: str
    organisation: str
    exit_month: dt.date
    forms: int
    full_name: str


@dataclass(frozen=True)
class Forgotten:
    """What an erasure deleted (rows per table, by database) and the exports that still hold her forms."""

    graduate_id: str
    vault: dict[str, int] = field(default_factory=dict)
    warehouse: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # where each export of hers was filed, relative to the inbox


def find(wh: Warehouse, who: str) -> Graduate:
    """The one graduate `who` names: the start of her pseudonym (at least MIN_PREFIX characters), or her
    name as recorded or as written in a form (any case, word order, ё/е). Needs the vault attached."""
    text = who.strip()
    if _HEX.match(text.lower()):
        if len(text) < MIN_PREFIX:
            raise ContactsError(
                f"Give at least {MIN_PREFIX} characters of her pseudonym (`followup due` shows {SHORT_ID}), or "
                "her name as recorded: an erasure cannot be undone."
            )
        rows = wh.run(SQL, "find_by_id", prefix=text.lower()).fetchall()
        given = f"pseudonym starts with '{text}'"
    else:
        rows = wh.run(SQL, "find_by_name", name_key=normalise_name(text)).fetchall() if text else []
        given = "name is the one given"  # never repeat a name in a message
    if not rows:
        raise ContactsError(
            f"No graduate's {given}. Check it (`followup due --month YYYY-MM` lists pseudonyms with names), or "
            "she may have been forgotten already."
        )
    if len(rows) > 1:
        listed = "; ".join(f"{g[:SHORT_ID]} ({org}, left {m:%Y-%m}, {n} forms)" for g, org, m, n in rows)
        raise ContactsError(
            f"{len(rows)} graduates' {given}: {listed}. Give more characters of the pseudonym of the one meant."
        )
    graduate_id, organisation, exit_month, forms = rows[0]
    name = wh.run(SQL, "recorded_name", graduate_id=graduate_id).fetchone()
    return Graduate(graduate_id, organisation, exit_month, int(forms), (name[0] if name else None) or "")


def forget(wh: Warehouse, who: str) -> Forgotten:
    """Delete the graduate `who` names (see `find`) from the vault (her contacts, pending identities of hers)
    and then from the warehouse (graduates, responses, their answers and comments, indicator values, aliases,
    reviews), one transaction per database, then CHECKPOINT both: nothing of her stays in a WAL. A warehouse
    table holding ids that this does not know stops it before anything is deleted.

    Her deleted rows' bytes may still lie in freed blocks of the files until `rewrite`; `erase` does both.
    Quarantined rows carry no graduate id and stay; counts of runs and files stay as they were.
    """
    graduate_id = find(wh, who).graduate_id
    tables = [t for (t,) in wh.run(SQL, "tables_with_ids").fetchall()]
    if unknown := sorted(set(tables) - set(WAREHOUSE_STATEMENTS)):
        raise ContactsError(
            f"The warehouse has tables that may hold graduates' ids which `followup forget` does not know: "
            f"{', '.join(unknown)}. Nothing was erased: please report this as a bug."
        )
    files = [str(stored or name) for name, stored in wh.run(SQL, "source_files", graduate_id=graduate_id).fetchall()]
    vault = _delete(wh, VAULT_STATEMENTS, graduate_id)
    warehouse = _delete(wh, {t: s for t, s in WAREHOUSE_STATEMENTS.items() if t in tables}, graduate_id)
    wh.run(SQL, "checkpoint_vault")
    wh.run(SQL, "checkpoint")
    return Forgotten(graduate_id, vault, warehouse, files)


def _delete(wh: Warehouse, statements: dict[str, str], graduate_id: str) -> dict[str, int]:
    deleted = {}
    with wh.transaction():
        for table, name in statements.items():
            row = wh.run(SQL, name, graduate_id=graduate_id).fetchone()
            deleted[table] = int(row[0]) if row else 0
    return deleted


def rewrite(wh: Warehouse, database: str, path: Path, key_hex: str | None = None) -> None:
    """Copy `database` (attached to `wh`, from the file `path`; encrypted with `key_hex`, if given) into a
    fresh file that takes its place, with its mode: the bytes of deleted rows, which DuckDB's blocks keep
    after a CHECKPOINT, are not copied. The old file stays open until `wh` closes; the lock `wh` holds on the
    warehouse keeps a run out meanwhile, and a run that starts later opens the new file."""
    fresh = path.with_name(path.name + ".rewriting")
    leftovers = (fresh, fresh.with_name(fresh.name + ".wal"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    # File names, keys and catalog names cannot be parameters of ATTACH and COPY: quoted here, as the gateway
    # quotes them in `attach_vault`.
    encrypted = f" (ENCRYPTION_KEY '{key_hex}')" if key_hex else ""
    try:
        wh.con.execute(f"ATTACH '{_quoted(fresh)}' AS rewritten{encrypted}")
        fresh.chmod(stat.S_IMODE(path.stat().st_mode))
        wh.con.execute(f"COPY FROM DATABASE {_identifier(database)} TO rewritten")
        wh.con.execute("DETACH rewritten")
        os.replace(fresh, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def erase(home: Home, who: str) -> Forgotten:
    """An erasure request, whole: `forget` the graduate, then `rewrite` the vault and the warehouse, then publish
    the researchers' snapshot again (the one before still holds her)."""
    from followup.snapshot import publish_snapshot, snapshot_path

    key_hex = keys.vault_key(keys.load_key(home.secret_key))
    with Warehouse(home.warehouse) as wh:
        wh.attach_vault(home.vault, key_hex)
        forgotten = forget(wh, who)
        rewrite(wh, "vault", home.vault, key_hex)
        rewrite(wh, wh.run(SQL, "this_database").fetchone()[0], home.warehouse)  # type: ignore[index]
    if snapshot_path(home).exists():
        publish_snapshot(home)
    return forgotten


def every_identity(home: Home) -> list[str]:
    """Every recorded name, surname, phone and e-mail in the vault, as `kind: value` lines for the PII scan."""
    with Warehouse(home.warehouse, read_only=True) as wh:
        wh.attach_vault(home.vault, keys.vault_key(keys.load_key(home.secret_key)))
        return [text for (text,) in wh.run(SQL, "every_identity").fetchall()]
