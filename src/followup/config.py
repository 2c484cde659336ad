"""Typed settings of one followup home, read from `followup.toml` and `FOLLOWUP_*` variables.

Every setting has a working default, so an empty `followup.toml` is a valid one. A wrong setting stops
with a message naming it and saying what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_FILE = "followup.toml"
DEFAULT_HOME = "followup-home"


class ConfigError(Exception):
    """A setting is wrong; the message names it and says what is allowed."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathsSettings(_Section):
    inbox: str = "inbox"
    instruments: str = "instruments"
    warehouse: str = "warehouse.duckdb"
    reports: str = "reports"
    secret_key: str = "secret.key"


class WaveSettings(_Section):
    months: list[int] = Field(default=[3, 6, 12, 24, 36])
    window: float = Field(default=0.25, gt=0, le=0.5)

    @field_validator("months")
    @classmethod
    def _positive_increasing(cls, v: list[int]) -> list[int]:
        if not v or any(m <= 0 for m in v) or sorted(set(v)) != v:
            raise ValueError("must be a non-empty list of increasing whole months above 0, e.g. [3, 6, 12]")
        return v


class IdentitySettings(_Section):
    phone_region: str = Field(default="RU", pattern=r"^[A-Z]{2}$")
    keep_comments: bool = True


class ResultsSettings(_Section):
    # Counts of 1 … min_cell − 1 graduates are suppressed in every table shown or written (followup.results.disclosure).
    min_cell: int = Field(default=5, ge=3)


Chosen = Literal["all", "none"] | list[str]


class DefinitionsSettings(_Section):
    # Which shipped definitions (schemas/instruments, schemas/indicators.yaml) this home uses besides its own:
    # "all", "none" or a list of ids. The home's own (instruments/*.yaml, indicators.yaml in the home folder) are
    # always used (run_definitions.definitions).
    instruments: Chosen = "all"
    indicators: Chosen = "all"

    def uses(self, kind: Literal["instruments", "indicators"], shipped_id: str) -> bool:
        chosen = getattr(self, kind)
        return chosen == "all" or (chosen != "none" and shipped_id in chosen)


class Organisation(_Section):
    # One organisation of a network. Its exports are recognised by the inbox subfolder named by its code
    # (inbox/<code>/), by a file-name pattern in `files`, or by an organisation column whose answer is its
    # code, its name or one of its `aliases`.
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    files: list[str] = Field(default_factory=list)  # file-name patterns, * and ?, case-insensitive
    aliases: list[str] = Field(default_factory=list)


class PrefectSettings(_Section):
    api_url: str = ""


class Settings(_Section):
    organisation: str = Field(default="Моя организация", min_length=1)
    timezone: str = "Europe/Moscow"
    paths: PathsSettings = PathsSettings()
    waves: WaveSettings = WaveSettings()
    identity: IdentitySettings = IdentitySettings()
    results: ResultsSettings = ResultsSettings()
    prefect: PrefectSettings = PrefectSettings()
    definitions: DefinitionsSettings = DefinitionsSettings()
    organisations: list[Organisation] = Field(default_factory=list)

    @field_validator("organisations")
    @classmethod
    def _distinct(cls, v: list[Organisation]) -> list[Organisation]:
        for attr in ("code", "name"):
            seen = [getattr(o, attr) for o in v]
            twice = sorted({x for x in seen if seen.count(x) > 1})
            if twice:
                raise ValueError(f"two organisations have the {attr} {', '.join(twice)}; each needs its own")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Moscow or Asia/Yakutsk") from None
        return v


def resolve_home(home: str | Path | None) -> Path:
    """The home folder: the argument, else FOLLOWUP_HOME, else ./followup-home."""
    chosen = home or os.environ.get("FOLLOWUP_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().resolve()


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """FOLLOWUP_ORGANISATION, FOLLOWUP_WAVES__MONTHS='[3,6]' ...: `__` separates section and key."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("FOLLOWUP_") or name == "FOLLOWUP_HOME":
            continue
        keys = name[len("FOLLOWUP_") :].lower().split("__")
        try:
            value: Any = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        target = out
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return out


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _explain(error: ValidationError, source: str) -> str:
    lines = [f"{source}: some settings are wrong:"]
    for e in error.errors():
        name = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            lines.append(f"  - '{name}' is not a followup setting (see followup.example.toml for all of them)")
        else:
            lines.append(f"  - '{name}': {e['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def load_settings(home: Path, environ: dict[str, str] | None = None) -> Settings:
    """Read `home/followup.toml` (absent means all defaults), then FOLLOWUP_* overrides."""
    path = home / CONFIG_FILE
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}). Fix the line it names.") from None
    data = _merge(data, _env_overrides(dict(os.environ if environ is None else environ)))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, str(path))) from None
