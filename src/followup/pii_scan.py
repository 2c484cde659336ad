"""Search a home's artefacts for planted personal values (canaries), as `followup check-pii` does.

A needle is a value that must not be found: a made-up woman staff planted in an export, or (later) every
name and phone of the contact vault. Searched: every column of every table and view of each DuckDB file,
the bytes of every file under the home (the warehouse and its .wal, Prefect's database with its -wal,
reports, logs, GX artefacts), the members of .xlsx/.zip files, the text of HTML pages (character references
read) and a SQL dump of each SQLite database (Prefect's). Not searched, by design: the inbox (raw exports
live there) and files whose name starts with "vault" (the contact vault holds names, encrypted). A finding
names the artefact, the place in it and the needle's number and kind, never the needle itself.
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast, get_args

import phonenumbers

from followup.anonymise.identity import normalise_name, normalise_phone
from followup.home import Home

Kind = Literal["name", "phone", "email", "date"]
KINDS: tuple[str, ...] = get_args(Kind)
MIN_CHARS = 4  # a shorter value would be found everywhere
MIN_DIGITS = 7  # likewise for a phone's digits
_CHUNK = 8 << 20
_HTML_SUFFIXES = {".html", ".htm", ".xml", ".svg"}
_ZIP_SUFFIXES = {".xlsx", ".xlsm", ".zip", ".docx", ".ods"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # at byte 8 of a DuckDB file
# Windows-1251 lower case as a byte table: A-Z, А-Я (0xC0-0xDF) and Ё (0xA8).
_LOWER_CP1251 = bytes.maketrans(
    bytes([*range(0x41, 0x5B), *range(0xC0, 0xE0), 0xA8]), bytes([*range(0x61, 0x7B), *range(0xE0, 0x100), 0xB8])
)
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s()\-.]+$")
_KIND_PREFIX = re.compile(rf"^({'|'.join(KINDS)}):\s*(.+)$", re.IGNORECASE)
_INSERT = re.compile(r'^INSERT INTO "((?:[^"]|"")+)"')


@dataclass(frozen=True)
class Needle:
    """A value that must be found nowhere; its kind decides which other spellings are searched too."""

    text: str
    kind: Kind

    @classmethod
    def parse(cls, text: str) -> Needle:
        """`Иванова`, `+7 912 …`, `17.03.1991`, or with the kind first: `name: Роза`. Without one it is guessed."""
        text = text.strip()
        if m := _KIND_PREFIX.match(text):
            return cls(m[2].strip(), cast(Kind, m[1].lower()))
        return cls(text, guess_kind(text))


def guess_kind(text: str) -> Kind:
    """A date (dd.mm.yyyy or ISO), an e-mail (has @), a phone (only digits and +()-. with 7+ digits), else a name."""
    if _DOTTED_DATE.match(text) or _ISO_DATE.match(text):
        return "date"
    if "@" in text:
        return "email"
    if _PHONE_CHARS.match(text) and len(re.sub(r"\D", "", text)) >= MIN_DIGITS:
        return "phone"
    return "name"


def forms(needle: Needle, region: str = "RU") -> dict[str, str]:
    """The spellings searched for a needle, lower-case, by label ("as written", "digits", "ISO date", …).

    Names also normalised as the pipeline does (ё → е, words sorted); phones also as digits only, as the
    national number and as the local `765-43-21`; dates dd.mm.yyyy also as ISO and the other way round.
    Spellings too short to mean anything are left out.
    """
    text = needle.text.strip()
    found = {"as written": " ".join(text.split())}
    if needle.kind == "name":
        found["ё as е"] = found["as written"].replace("ё", "е").replace("Ё", "Е")
        found["normalised"] = normalise_name(text)
    elif needle.kind == "phone":
        digits = re.sub(r"\D", "", text)
        found["digits"] = digits
        if e164 := normalise_phone(text, region):
            national = str(phonenumbers.parse(e164).national_number)
            found["national number"] = national
            if len(national) == 10:
                found["local number"] = f"{national[3:6]}-{national[6:8]}-{national[8:]}"
        found = {k: v for k, v in found.items() if len(re.sub(r"\D", "", v)) >= MIN_DIGITS}
    elif needle.kind == "date":
        if m := _DOTTED_DATE.match(text):
            day, month, year = int(m[1]), int(m[2]), m[3]
            found["ISO date"] = f"{year}-{month:02d}-{day:02d}"
            found["dd.mm.yyyy"] = f"{day:02d}.{month:02d}.{year}"
        elif m := _ISO_DATE.match(text):
            found["dd.mm.yyyy"] = f"{m[3]}.{m[2]}.{m[1]}"
    spellings: dict[str, str] = {}
    for label, spelling in found.items():
        lowered = spelling.lower()
        if len(lowered) >= MIN_CHARS and lowered not in spellings.values():
            spellings[label] = lowered
    return spellings


@dataclass(frozen=True)
class Finding:
    """Needle number `needle` (0-based) was found in `artefact` (a path relative to the home) at `where`."""

    artefact: str
    where: str
    needle: int
    kind: str
    form: str

    @property
    def value(self) -> str:
        """Which value, without the value: `value #3 (phone, as digits)`."""
        how = "" if self.form == "as written" else f", {self.form}"
        return f"value #{self.needle + 1} ({self.kind}{how})"

    def __str__(self) -> str:
        return f"{self.artefact} [{self.where}]: {self.value}"


class Matcher:
    """Finds needles in text, and in bytes as UTF-8, Windows-1251 (both in any case) and UTF-16."""

    def __init__(self, needles: Sequence[Needle], region: str = "RU") -> None:
        self.needles = list(needles)
        self.spellings: list[tuple[str, int, str]] = []  # (lower-case spelling, needle number, label)
        utf8: dict[str, list[tuple[int, str]]] = {}
        cp1251: dict[str, list[tuple[int, str]]] = {}
        utf16: dict[str, list[tuple[int, str]]] = {}
        for i, needle in enumerate(self.needles):
            spellings = forms(needle, region)
            if not spellings:
                raise ValueError(
                    f"value #{i + 1} ({needle.kind}) is too short to search for: a canary needs at least "
                    f"{MIN_CHARS} characters ({MIN_DIGITS} digits for a phone)"
                )
            for label, spelling in spellings.items():
                self.spellings.append((spelling, i, label))
                utf8.setdefault(spelling, []).append((i, label))
                # Other encodings are searched byte by byte (each byte one latin-1 character); ASCII is
                # the same in Windows-1251 as in UTF-8. UTF-16 cannot be lower-cased as bytes: three casings.
                if not spelling.isascii() and _encodes(spelling, "cp1251"):
                    cp1251.setdefault(_as_bytes(spelling, "cp1251"), []).append((i, f"{label}, Windows-1251"))
                for cased in {spelling, spelling.upper(), spelling.title()}:
                    utf16.setdefault(_as_bytes(cased, "utf-16-le"), []).append((i, f"{label}, UTF-16"))
        self._utf8, self._cp1251, self._utf16 = _Dictionary(utf8), _Dictionary(cp1251), _Dictionary(utf16)
        self.overlap = max((len(s) for s in [*utf16, *(s.encode() for s in utf8)]), default=0) + 4

    def in_text(self, text: str) -> dict[int, str]:
        """Needle number → the label of the first spelling of it found in `text` (in any case)."""
        hits: dict[int, str] = {}
        self._utf8.find(text.lower(), hits)
        return hits

    def in_bytes(self, data: bytes) -> dict[int, str]:
        hits = self.in_text(data.decode("utf-8", "ignore"))
        self._cp1251.find(data.translate(_LOWER_CP1251).decode("latin-1"), hits)
        self._utf16.find(data.decode("latin-1"), hits)
        return hits

    def in_stream(self, stream: IO[bytes]) -> dict[int, str]:
        """Read in chunks that overlap by the longest spelling, so that a large file is never held whole."""
        hits: dict[int, str] = {}
        tail = b""
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            for i, label in self.in_bytes(data).items():
                hits.setdefault(i, label)
            tail = data[-self.overlap :]
        return hits


class _Dictionary:
    """Many literal spellings found in one pass: one regex shaped as their trie, fast for thousands."""

    def __init__(self, entries: dict[str, list[tuple[int, str]]]) -> None:
        self._entries = entries
        self._regex = re.compile(_trie(list(entries))) if entries else None

    def find(self, haystack: str, hits: dict[int, str]) -> None:
        """Add to `hits` every needle with a spelling in `haystack`, overlapping ones included."""
        pos = 0
        while self._regex is not None and (m := self._regex.search(haystack, pos)):
            longest = m.group()  # the regex prefers the longest spelling starting here: its prefixes count too
            for end in range(1, len(longest) + 1):
                for i, label in self._entries.get(longest[:end], ()):
                    hits.setdefault(i, label)
            pos = m.start() + 1


def _trie(words: list[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _as_bytes(text: str, encoding: str) -> str:
    """The bytes of `text` in `encoding`, one latin-1 character each, to search bytes with a str regex."""
    return text.encode(encoding).decode("latin-1")


@dataclass
class Scan:
    """What a scan found, what it searched (by kind of artefact) and what it could not read."""

    findings: list[Finding] = field(default_factory=list)
    searched: dict[str, list[str]] = field(default_factory=dict)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def artefacts(self) -> int:
        return sum(len(v) for v in self.searched.values())

    def describe(self) -> str:
        """One line per kind of artefact: how many, and which (files by top folder; members only counted)."""
        lines = []
        for kind, names in self.searched.items():
            listed = names
            if kind == "files":
                tops = [name.split("/", 1)[0] + "/" if "/" in name else name for name in names]
                listed = [top if not top.endswith("/") else f"{top} ({tops.count(top)})" for top in dict.fromkeys(tops)]
            lines.append(f"{len(names)} {kind}" + ("" if kind.startswith("members") else ": " + ", ".join(listed)))
        return "\n".join(lines)

    def _add(self, artefact: str, where: str, hits: dict[int, str], needles: Sequence[Needle]) -> None:
        for i, label in sorted(hits.items()):
            self.findings.append(Finding(artefact, where, i, needles[i].kind, label))


def scan(home: Home, needles: Iterable[str | Needle]) -> Scan:
    """Search every artefact of the home (see the module's docstring) for the needles; strings are parsed."""
    region = home.settings.identity.phone_region
    matcher = Matcher([n if isinstance(n, Needle) else Needle.parse(n) for n in needles], region)
    result = Scan()
    for path in _files(home):
        name = _relative(path, home)
        result.searched.setdefault("files", []).append(name)
        try:
            with path.open("rb") as f:
                head = f.read(16)
                f.seek(0)
                result._add(name, "bytes", matcher.in_stream(f), matcher.needles)
            if path.suffix.lower() in _ZIP_SUFFIXES or zipfile.is_zipfile(path):
                _search_archive(path, name, matcher, result)
            if path.suffix.lower() in _HTML_SUFFIXES:  # «O'Brien» is written O&#x27;Brien in a page
                text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
                result._add(name, "text", matcher.in_text(text), matcher.needles)
            if head.startswith(_SQLITE_MAGIC):
                _search_sqlite(path, name, matcher, result)
            elif head[8:12] == _DUCKDB_MAGIC:
                _search_duckdb(path, name, matcher, result)
        except (OSError, zipfile.BadZipFile, sqlite3.Error) as exc:
            result.unreadable.append((name, str(exc)))
    return result


def read_values(values: Iterable[str], values_file: Path | None = None) -> list[Needle]:
    """Needles from --value options and a UTF-8 file (one a line; blank lines and lines starting with # skipped)."""
    lines = [v for v in values if v.strip()]
    if values_file is not None:
        text = values_file.read_text(encoding="utf-8-sig")
        lines += [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [Needle.parse(line) for line in lines]


def _relative(path: Path, home: Home) -> str:
    try:
        return path.relative_to(home.root).as_posix()
    except ValueError:  # a warehouse or reports folder configured outside the home
        return str(path)


def _files(home: Home) -> Iterator[Path]:
    """Every file under the home (and the warehouse and reports if set elsewhere), but the inbox and vault*."""
    root, inbox = home.root.resolve(), home.inbox.resolve()
    elsewhere = [home.reports, home.warehouse, home.warehouse.with_name(home.warehouse.name + ".wal")]
    seen: set[Path] = set()
    for top in [root, *(p for p in elsewhere if p.exists() and not p.resolve().is_relative_to(root))]:
        walked = os.walk(top) if top.is_dir() else [(str(top.parent), [], [top.name])]
        for folder, dirs, names in walked:
            dirs[:] = sorted(d for d in dirs if (Path(folder) / d).resolve() != inbox)
            for name in sorted(names):
                path = Path(folder) / name
                if not name.lower().startswith("vault") and path.is_file() and path.resolve() not in seen:
                    seen.add(path.resolve())
                    yield path


def _search_archive(path: Path, name: str, matcher: Matcher, result: Scan) -> None:
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            result.searched.setdefault(f"members of {name}", []).append(member.filename)
            with archive.open(member) as stream:
                result._add(name, f"member {member.filename}", matcher.in_stream(stream), matcher.needles)


def _search_sqlite(path: Path, name: str, matcher: Matcher, result: Scan) -> None:
    """A SQL dump, table by table: a long text spread over overflow pages is whole again in the dump."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        hits: dict[str, dict[int, str]] = {}
        for statement in con.iterdump():
            table = m[1].replace('""', '"') if (m := _INSERT.match(statement)) else "(schema)"
            for i, label in matcher.in_text(statement).items():
                hits.setdefault(table, {}).setdefault(i, label)
        result.searched.setdefault("SQLite dumps", []).append(name)
        for table, found in hits.items():
            result._add(name, f"SQL dump, table {table}", found, matcher.needles)
    finally:
        con.close()


def _search_duckdb(path: Path, name: str, matcher: Matcher, result: Scan) -> None:
    """Every column of every table and view, cast to text: compressed columns hide values from a byte search."""
    import duckdb

    from followup.warehouse import Warehouse, WarehouseError

    spellings = [s for s, _, _ in matcher.spellings]
    try:
        with Warehouse(path, read_only=True) as wh:
            tables = wh.con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() ORDER BY table_schema, table_name"
            ).fetchall()
            for schema, table in tables:
                label = table if schema == "main" else f"{schema}.{table}"
                try:
                    columns = [
                        c
                        for (c,) in wh.con.execute(
                            "SELECT column_name FROM information_schema.columns WHERE table_catalog = "
                            "current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                            [schema, table],
                        ).fetchall()
                    ]
                    rows = wh.con.execute(_cells_containing(schema, table, columns), {"forms": spellings}).fetchall()
                except duckdb.Error as exc:
                    result.unreadable.append((f"{name} {label}", str(exc).splitlines()[0]))
                    continue
                result.searched.setdefault(f"tables and views of {name}", []).append(label)
                hits: dict[str, dict[int, str]] = {}
                for column, k in rows:
                    _, i, form = matcher.spellings[k - 1]
                    hits.setdefault(column, {}).setdefault(i, form)
                for column, found in hits.items():
                    result._add(name, f"{label}.{column}", found, matcher.needles)
    except (WarehouseError, duckdb.Error) as exc:
        result.unreadable.append((name, str(exc).splitlines()[0]))


def _cells_containing(schema: str, table: str, columns: list[str]) -> str:
    """SQL: (column, 1-based spelling number) for each distinct cell, as lower-case text, holding a spelling."""
    cast = ", ".join(f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in columns)
    return f"""
        WITH cells AS (UNPIVOT (SELECT {cast} FROM {_q(schema)}.{_q(table)}) ON COLUMNS(*) INTO NAME col VALUE cell),
        distinct_cells AS (SELECT DISTINCT col, lower(cell) AS cell FROM cells),
        spellings AS (SELECT generate_subscripts($forms, 1) AS k, unnest($forms) AS form)
        SELECT DISTINCT col, k FROM distinct_cells JOIN spellings ON contains(distinct_cells.cell, spellings.form)
        ORDER BY col, k
    """


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
