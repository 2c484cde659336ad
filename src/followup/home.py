"""One organisation's installation: a folder with settings, inbox, instruments, key and warehouse."""

from __future__ import annotations

import shutil
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


def init_home(home: str | Path | None = None) -> tuple[Home, list[str]]:
    """Create (or complete) a home folder; never overwrites an existing file. Returns what was made."""
    root = resolve_home(home)
    root.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    config = root / CONFIG_FILE
    if not config.exists():
        shutil.copyfile(PROJECT_ROOT / "followup.example.toml", config)
        made.append(CONFIG_FILE)
    h = Home(root, load_settings(root))
    for folder in (h.inbox, h.instruments, h.reports):
        if not folder.exists():
            folder.mkdir(parents=True)
            made.append(f"{folder.name}/")
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
