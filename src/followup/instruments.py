"""Instrument definitions (schemas/instruments/*.yaml and the home's instruments/) and file matching.

An instrument lists its items once (code, question, type, answer labels) and, per version, how export
columns map to items or to roles (identity, timestamp, exit date, free text). Answers from every version
land in the same item codes. See schemas/README.md for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Role = Literal[
    "full_name",
    "phone",
    "email",
    "birth_date",
    "timestamp",
    "exit_date",
    "organisation",
    "free_text",
    "ignore",
]
IDENTITY_ROLES = frozenset({"full_name", "phone", "email", "birth_date"})
YES_LABELS = ("да", "yes", "1", "true", "истина")
NO_LABELS = ("нет", "no", "0", "false", "ложь")


class InstrumentError(Exception):
    """An instrument definition is wrong; the message names the file and the entry."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    min: float
    max: float


class Item(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    type: Literal["yes_no", "select_one", "likert", "number"]
    options: dict[str, list[str]] = Field(default_factory=dict)
    scale: Scale | None = None

    @model_validator(mode="after")
    def _complete(self) -> Item:
        if self.type == "select_one" and not self.options:
            raise ValueError(f"item '{self.code}' is select_one and needs options: code -> [labels]")
        if self.type in ("likert", "number") and self.scale is None:
            raise ValueError(f"item '{self.code}' is {self.type} and needs scale: {{min: .., max: ..}}")
        return self

    def code_answer(self, raw: str) -> tuple[str, float | None] | None:
        """(code, number) for an answer label, or None when the label is not a defined answer."""
        text = normalise_label(raw)
        if self.type == "yes_no":
            if text in YES_LABELS:
                return "yes", 1.0
            if text in NO_LABELS:
                return "no", 0.0
            return None
        if self.type == "select_one":
            for code, labels in self.options.items():
                if text == normalise_label(code) or any(text == normalise_label(lab) for lab in labels):
                    return code, None
            return None
        assert self.scale is not None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
        if not self.scale.min <= number <= self.scale.max:
            return None
        return (f"{number:g}", number)


class Column(_Model):
    role: Role | None = None
    item: str | None = None
    format: str | None = None
    optional: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> Column:
        if (self.role is None) == (self.item is None):
            raise ValueError("a column maps to exactly one of `item: <code>` or `role: <role>`")
        return self


class Version(_Model):
    version: int = Field(ge=1)
    columns: dict[str, Column]

    @model_validator(mode="before")
    @classmethod
    def _short_columns(cls, data: Any) -> Any:
        # `Header: item_code` is shorthand for `Header: {item: item_code}`.
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            data = dict(data)
            data["columns"] = {str(h): ({"item": c} if isinstance(c, str) else c) for h, c in data["columns"].items()}
        return data


class Instrument(_Model):
    instrument: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    kind: Literal["baseline", "followup"]
    items: list[Item]
    versions: list[Version] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        codes = {i.code for i in self.items}
        for v in self.versions:
            roles = [c.role for c in v.columns.values() if c.role]
            for header, col in v.columns.items():
                if col.item and col.item not in codes:
                    raise ValueError(f"version {v.version}: column '{header}' maps to unknown item '{col.item}'")
            if "full_name" not in roles and "phone" not in roles:
                raise ValueError(f"version {v.version}: needs a column with role full_name or phone")
            if self.kind == "baseline" and "exit_date" not in roles:
                raise ValueError(f"version {v.version}: a baseline needs a column with role exit_date")
            if self.kind == "followup" and "timestamp" not in roles:
                raise ValueError(f"version {v.version}: a follow-up needs a column with role timestamp")
        return self

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


@dataclass(frozen=True)
class Match:
    """A file's header matched to one version of an instrument."""

    instrument: Instrument
    version: Version
    columns: dict[str, Column]  # actual header in the file -> column definition


_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    return _SPACES.sub(" ", str(text)).strip().lower().replace("ё", "е")


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as M&E staff expect it: `yes`, `no`, `on`, `off` stay words; only true/false are booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(path: Path) -> Any:
    """Parse a definition file; raises InstrumentError naming the file and line on bad YAML."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    except yaml.YAMLError as exc:
        raise InstrumentError(f"{path}: not valid YAML: {exc}") from None


def explain_error(path: Path, exc: ValidationError) -> InstrumentError:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()
    )
    return InstrumentError(f"{path}: {problems}")


def load_instrument(path: Path) -> Instrument:
    data = read_yaml(path)
    try:
        return Instrument.model_validate(data)
    except ValidationError as exc:
        raise explain_error(path, exc) from None


def load_instruments(*folders: Path) -> list[Instrument]:
    """Every instrument in the folders; a later folder's definition replaces an earlier one of the same id."""
    found: dict[str, Instrument] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                inst = load_instrument(path)
                found[inst.instrument] = inst
    return list(found.values())


def match_header(headers: list[str], instruments: list[Instrument]) -> Match | None:
    """The version whose required columns are all in the header and that explains most of it."""
    by_norm = {normalise_label(h): h for h in headers}
    best: tuple[float, Match] | None = None
    for inst in instruments:
        for version in inst.versions:
            required = [normalise_label(h) for h, c in version.columns.items() if not c.optional]
            if not all(r in by_norm for r in required):
                continue
            columns = {
                by_norm[normalise_label(h)]: c for h, c in version.columns.items() if normalise_label(h) in by_norm
            }
            score = len(columns) / max(len(headers), 1)
            if best is None or score > best[0]:
                best = (score, Match(inst, version, columns))
    return best[1] if best else None


def closest_version(headers: list[str], instruments: list[Instrument]) -> tuple[str, list[str]] | None:
    """For an unmatched header: the nearest instrument version and the required columns it lacks."""
    norm = {normalise_label(h) for h in headers}
    best: tuple[int, str, list[str]] | None = None
    for inst in instruments:
        for version in inst.versions:
            missing = [h for h, c in version.columns.items() if not c.optional and normalise_label(h) not in norm]
            if best is None or len(missing) < best[0]:
                best = (len(missing), f"{inst.instrument} v{version.version}", missing)
    return (best[1], best[2]) if best else None
