"""One organisation's installation: a folder with settings, inbox, instruments, key and warehouse."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from followup import keys
from followup.config import CONFIG_FILE, Settings, load_settings, resolve_home
from followup.resources import PROJECT_ROOT


class HomeError(Exception):
    """The home folder is missing or incomplete; the message says which command fixes it."""


@dataclass(frozen=True)
class Home:
    root: Path
    settings: Settings

    def _path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.root / p

    @property
    def inbox(self) -> Path:
        return self._path(self.settings.paths.inbox)

    @property
    def instruments(self) -> Path:
        return self._path(self.settings.paths.instruments)

    @property
    def warehouse(self) -> Path:
        return self._path(self.settings.paths.warehouse)

    @property
    def reports(self) -> Path:
        return self._path(self.settings.paths.reports)

    @property
    def secret_key(self) -> Path:
        return self._path(self.settings.paths.secret_key)

    @property
    def vault(self) -> Path:
        """The encrypted contact vault: names and phones to reach graduates, never in the warehouse."""
        return self.warehouse.with_name("vault.duckdb")

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"


def init_home(home: str | Path | None = None, organisations: Sequence[str] = ()) -> tuple[Home, list[str]]:
    """Create (or complete) a home folder; never overwrites an existing file. Returns what was made.
    `organisations`: "CODE=NAME" of each organisation of a network, added to followup.toml (unless its code is
    there) with its inbox subfolder."""
    root = resolve_home(home)
    root.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    config = root / CONFIG_FILE
    if not config.exists():
        shutil.copyfile(PROJECT_ROOT / "followup.example.toml", config)
        made.append(CONFIG_FILE)
    added = _add_organisations(config, [_code_and_name(o) for o in organisations], load_settings(root))
    made += [f"[[organisations]] {code}" for code in added]
    h = Home(root, load_settings(root))
    for folder in (h.inbox, h.instruments, h.reports, *(h.inbox / o.code for o in h.settings.organisations)):
        if not folder.exists():
            folder.mkdir(parents=True)
            made.append(f"{folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder}/")
    if not h.secret_key.exists():
        keys.create_key(h.secret_key)
        made.append(h.secret_key.name)
    if not h.warehouse.exists():
        from followup.warehouse import Warehouse

        with Warehouse(h.warehouse) as wh:
            wh.migrate()
            wh.check_key(keys.fingerprint(keys.load_key(h.secret_key)))
        made.append(h.warehouse.name)
    return h, made


def _code_and_name(text: str) -> tuple[str, str]:
    code, sep, name = text.partition("=")
    if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", code.strip()) or not name.strip():
        raise HomeError(
            f"--organisation '{text}' is not CODE=NAME: a short code of latin letters, digits and _ (starting with "
            'a letter), = and the name, e.g. --organisation "nadezhda=КЦ «Надежда»"'
        )
    return code.strip(), name.strip()


def _add_organisations(config: Path, wanted: list[tuple[str, str]], settings: Settings) -> list[str]:
    """Append an [[organisations]] table to followup.toml for each wanted code it does not have yet."""
    have = {o.code for o in settings.organisations}
    new = [(code, name) for code, name in wanted if code not in have]
    if new:
        blocks = "".join(f"\n[[organisations]]\ncode = {_toml(code)}\nname = {_toml(name)}\n" for code, name in new)
        with config.open("a", encoding="utf-8") as f:
            f.write(blocks)
    return [code for code, _ in new]


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def open_home(home: str | Path | None = None) -> Home:
    """An existing, initialised home; a clear error naming `followup init` otherwise."""
    root = resolve_home(home)
    if not (root / CONFIG_FILE).exists():
        raise HomeError(
            f"{root} is not a followup home (no {CONFIG_FILE}). Create it with `followup init {root}` "
            "or point to yours with --home DIR or FOLLOWUP_HOME."
        )
    h = Home(root, load_settings(root))
    if not h.secret_key.exists():
        raise HomeError(
            f"The pseudonymisation key {h.secret_key} is missing. Restore it from your backup; if this is a "
            "new home with no data yet, `followup init` creates one."
        )
    return h
