"""Instrument definitions (schemas/instruments/*.yaml and the home's instruments/) and file matching.

An instrument lists its items once (code, question, type, answer labels) and, per version, how export
columns map to items or to roles (identity, timestamp, exit date, free text). Answers from every version
land in the same item codes. See schemas/README.md for the format.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from followup.definition_files import explain, read_definition

Role = Literal[
    "full_name",
    "phone",
    "email",
    "birth_date",
    "timestamp",
    "exit_date",
    "organisation",
    "submission_id",
    "free_text",
    "wave",
    "ignore",
]
YES_LABELS = ("да", "yes", "1", "true", "истина", "выбрано")
NO_LABELS = ("нет", "no", "0", "false", "ложь")
Coded = list[tuple[str, float | None]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    min: float
    max: float


_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    return _SPACES.sub(" ", str(text)).strip().lower().replace("ё", "е")


def parse_number(text: str) -> float | None:
    """A number as people write it: decimal comma, spaces between thousands; None if it is not one."""
    try:
        return float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return None


class Item(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    type: Literal["yes_no", "select_one", "select_multiple", "likert", "number"]
    options: dict[str, list[str]] = Field(default_factory=dict)
    scale: Scale | None = None

    @field_validator("options", mode="before")
    @classmethod
    def _one_label(cls, v: object) -> object:
        """`rent: Снимаю жильё` means the same as `rent: [Снимаю жильё]`."""
        if isinstance(v, dict):
            return {code: [labels] if isinstance(labels, str) else labels for code, labels in v.items()}
        return v

    @model_validator(mode="after")
    def _complete(self) -> Item:
        if self.type in ("select_one", "select_multiple") and not self.options:
            raise ValueError(f"item '{self.code}' is {self.type} and needs options: code -> [labels]")
        if self.type == "likert" and self.scale is None:
            raise ValueError(f"item '{self.code}' is likert and needs scale: {{min: .., max: ..}}")
        if self.type == "likert":
            for code in self.options:
                if parse_number(code) is None:
                    raise ValueError(f"item '{self.code}': a likert option code must be its number, not '{code}'")
        return self

    def _option(self, text: str) -> str | None:
        for code, labels in self.options.items():
            if text == normalise_label(code) or any(text == normalise_label(lab) for lab in labels):
                return code
        return None

    def _options(self, text: str) -> list[str] | None:
        """Several options: labels joined by ", " (Google, Yandex) or by spaces (KoboToolbox codes or labels)."""
        single = self._option(text)
        if single is not None:
            return [single]
        for sep in (", ", " "):
            found = self._runs(text.split(sep), sep)
            if found:
                return found
        return None

    def _runs(self, parts: list[str], sep: str) -> list[str] | None:
        """Labels may contain the separator themselves: take, left to right, the longest run that is a label."""
        found, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                code = self._option(sep.join(parts[i:j]))
                if code is not None:
                    found.append(code)
                    i = j
                    break
            else:
                return None
        return found

    def code_answer(self, raw: str) -> Coded | None:
        """[(code, number)] for an answer (several for select_multiple), or None when it is not a defined answer."""
        text = normalise_label(raw)
        if self.type == "yes_no":
            if text in YES_LABELS:
                return [("yes", 1.0)]
            return [("no", 0.0)] if text in NO_LABELS else None
        if self.type == "select_one":
            code = self._option(text)
            return None if code is None else [(code, None)]
        if self.type == "select_multiple":
            codes = self._options(text)
            return None if codes is None else [(c, 1.0) for c in dict.fromkeys(codes)]
        labelled = self._option(text)
        number = parse_number(labelled if labelled is not None else text)
        if number is None or (self.scale and not self.scale.min <= number <= self.scale.max):
            return None
        return [(f"{number:g}", number)]


class Column(_Model):
    role: Role | None = None
    item: str | None = None
    option: str | None = None  # a 0/1 column for one option of a select_multiple item (KoboToolbox)
    format: str | None = None
    optional: bool = False
    # role wave: the labels the column writes for each wave, as months since exit ("Через полгода": 6); without
    # it the column holds the number of months ("6", "6 мес.")
    waves: dict[str, int] | None = None

    @field_validator("format")
    @classmethod
    def _date_format(cls, fmt: str | None) -> str | None:
        """A date format must read back the day, month and year it writes (catches "dd.mm.yyyy" and typos)."""
        if fmt is None:
            return fmt
        sample = dt.datetime(2024, 12, 31, 23, 59, 58)
        try:
            back = dt.datetime.strptime(sample.strftime(fmt), fmt)
        except ValueError:
            back = None
        if back is None or back.date() != sample.date():
            raise ValueError(
                f"'{fmt}' is not a date format: write the day as %d, the month as %m and the year as %Y "
                '(or %y), and the time as %H:%M:%S, e.g. "%d.%m.%Y %H:%M:%S"'
            )
        return fmt

    @model_validator(mode="after")
    def _one_target(self) -> Column:
        if (self.role is None) == (self.item is None):
            raise ValueError("a column maps to exactly one of `item: <code>` or `role: <role>`")
        if self.option is not None and self.item is None:
            raise ValueError("`option:` goes with `item:` (a 0/1 column of a select_multiple item)")
        if self.waves is not None and self.role != "wave":
            raise ValueError("`waves:` goes with `role: wave` (the wave each label stands for, in months)")
        if self.waves and any(m < 0 for m in self.waves.values()):
            raise ValueError("`waves:` maps each label to a number of months since exit (0 or more)")
        return self

    def wave_of(self, text: str) -> int | None:
        """The wave a `role: wave` cell names: a label of `waves`, else a whole number of months in it
        ("6", "6 мес.", "через 6 месяцев"); None when it names none."""
        label = normalise_label(text)
        for known, months in (self.waves or {}).items():
            if label == normalise_label(known):
                return months
        numbers = _WHOLE_NUMBER.findall(label)
        return int(numbers[0]) if len(numbers) == 1 else None


_WHOLE_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?![\d.,]\d)")
WAVE_FIELD = "{wave}"


class Version(_Model):
    version: int = Field(ge=1)
    # a pattern such as "*Катамнез*": only files so named match this version; "*через {wave} мес*" also says
    # which wave the file's forms belong to (the number written where {wave} stands)
    file_name: str | None = None
    wave: int | None = Field(default=None, ge=0)  # every form of this version belongs to this wave (months)
    columns: dict[str, Column]

    @model_validator(mode="before")
    @classmethod
    def _short_columns(cls, data: object) -> object:
        # `Header: item_code` is shorthand for `Header: {item: item_code}`.
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            data = dict(data)
            data["columns"] = {str(h): ({"item": c} if isinstance(c, str) else c) for h, c in data["columns"].items()}
        return data

    def required(self) -> list[str]:
        return [h for h, c in self.columns.items() if not c.optional]

    @model_validator(mode="after")
    def _one_wave_declaration(self) -> Version:
        ways = [
            self.wave is not None,
            self.file_name is not None and WAVE_FIELD in self.file_name,
            any(c.role == "wave" for c in self.columns.values()),
        ]
        if sum(ways) > 1:
            raise ValueError(
                f"version {self.version} declares its wave in more than one way: use one of `wave: N`, "
                "a file_name with {wave}, or a column with role wave"
            )
        if sum(c.role == "wave" for c in self.columns.values()) > 1:
            raise ValueError(f"version {self.version}: only one column may have role wave")
        return self

    def file_pattern(self) -> str | None:
        """`file_name` as an fnmatch pattern ({wave} matches anything)."""
        return None if self.file_name is None else self.file_name.replace(WAVE_FIELD, "*")

    def wave_in_name(self, file_name: str) -> int | None:
        """The wave a file name declares where `file_name` has {wave} (None if it has none or names no number)."""
        if self.file_name is None or WAVE_FIELD not in self.file_name:
            return None
        before, _, after = self.file_name.lower().partition(WAVE_FIELD)
        pattern = fnmatch.translate(before).removesuffix(r"\Z") + r"(\d{1,3})" + fnmatch.translate(after)
        found = re.match(pattern, file_name.lower())
        return int(found.group(1)) if found else None


# Extra checks a definition may list (GX Core column expectations), with the arguments each takes.
EXTRA_EXPECTATIONS: dict[str, set[str]] = {
    "expect_column_values_to_be_between": {"min_value", "max_value"},
    "expect_column_values_to_be_in_set": {"value_set"},
    "expect_column_values_to_not_be_in_set": {"value_set"},
    "expect_column_values_to_match_regex": {"regex"},
    "expect_column_values_to_not_match_regex": {"regex"},
    "expect_column_values_to_not_be_null": set(),
    "expect_column_value_lengths_to_be_between": {"min_value", "max_value"},
}


class ExtraExpectation(_Model):
    """A check beyond those generated from the items, on one item's answers (as coded: option codes,
    yes/no, numbers). A row that fails it goes to quarantine with `reason`."""

    model_config = ConfigDict(extra="allow", frozen=True)
    expect: str
    item: str
    reason: str | None = None

    @model_validator(mode="after")
    def _known(self) -> ExtraExpectation:
        if self.expect not in EXTRA_EXPECTATIONS:
            raise ValueError(
                f"'{self.expect}' is not one of the checks a definition may list: {', '.join(EXTRA_EXPECTATIONS)}"
            )
        allowed = EXTRA_EXPECTATIONS[self.expect]
        given = set(self.model_extra or {})
        if given - allowed:
            raise ValueError(
                f"{self.expect} takes {', '.join(sorted(allowed))}; not {', '.join(sorted(given - allowed))}"
            )
        if self.expect != "expect_column_values_to_not_be_null" and not given & EXTRA_EXPECTATIONS[self.expect]:
            raise ValueError(f"{self.expect} needs {' or '.join(sorted(EXTRA_EXPECTATIONS[self.expect]))}")
        return self

    @property
    def kwargs(self) -> dict[str, object]:
        return dict(self.model_extra or {})

    @property
    def check(self) -> str:
        """Our short name for it in quarantine and validation history, e.g. `children_count_be_between`."""
        return f"{self.item}_{self.expect.removeprefix('expect_column_').removeprefix('values_to_')}"


class Instrument(_Model):
    instrument: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    # baseline: the case-closure form (defines the graduate and her exit); followup: a form after exit,
    # placed in waves; assessment: a dated form at any time (during the stay or after), e.g. a specialist's scale.
    kind: Literal["baseline", "followup", "assessment"]
    grouping: list[str] = Field(default_factory=list)  # baseline items to break results down by
    items: list[Item]
    versions: list[Version] = Field(min_length=1)
    expectations: list[ExtraExpectation] = Field(default_factory=list)  # extra checks on items' answers

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        items = {i.code: i for i in self.items}
        for code in self.grouping:
            if code not in items:
                raise ValueError(f"grouping names unknown item '{code}'")
        for e in self.expectations:
            if e.item not in items:
                raise ValueError(f"an expectation names unknown item '{e.item}'")
        for v in self.versions:
            roles = [c.role for c in v.columns.values() if c.role]
            for header, col in v.columns.items():
                if col.item and col.item not in items:
                    raise ValueError(f"version {v.version}: column '{header}' maps to unknown item '{col.item}'")
                if col.option and (
                    items[str(col.item)].type != "select_multiple" or col.option not in items[str(col.item)].options
                ):
                    raise ValueError(
                        f"version {v.version}: column '{header}': '{col.option}' is not an option of the "
                        f"select_multiple item '{col.item}'"
                    )
            if "full_name" not in roles and "phone" not in roles:
                raise ValueError(f"version {v.version}: needs a column with role full_name or phone")
            if self.kind == "baseline" and "exit_date" not in roles:
                raise ValueError(f"version {v.version}: a baseline needs a column with role exit_date")
            if self.kind != "baseline" and "timestamp" not in roles:
                raise ValueError(f"version {v.version}: a {self.kind} form needs a column with role timestamp")
            declares = v.wave is not None or "wave" in roles or WAVE_FIELD in (v.file_name or "")
            if self.kind == "baseline" and declares:
                raise ValueError(f"version {v.version}: a case-closure form is wave 0 and declares no wave")
        if len({v.version for v in self.versions}) != len(self.versions):
            raise ValueError("two versions have the same number")
        return self

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


@dataclass(frozen=True)
class Match:
    """A file's header matched to one version of an instrument."""

    instrument: Instrument
    version: Version
    columns: dict[str, Column]  # actual header in the file -> column definition
    wave: int | None = None  # the wave every form of the file belongs to, by `wave:` or its file name


def load_instrument(path: Path) -> Instrument:
    data, tree = read_definition(path)
    try:
        return Instrument.model_validate(data)
    except ValidationError as exc:
        raise explain(path, tree, exc) from None


def load_instruments(*folders: Path) -> list[Instrument]:
    """Every instrument in the folders; a later folder's definition replaces an earlier one of the same id."""
    found: dict[str, Instrument] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                inst = load_instrument(path)
                found[inst.instrument] = inst
    return list(found.values())


def _named(version: Version, file_name: str | None) -> bool:
    pattern = version.file_pattern()
    if pattern is None or file_name is None:
        return True
    named = fnmatch.fnmatch(file_name.lower(), pattern.lower())
    return named and (WAVE_FIELD not in str(version.file_name) or version.wave_in_name(file_name) is not None)


def match_header(headers: list[str], instruments: list[Instrument], file_name: str | None = None) -> Match | None:
    """The version whose required columns are all in the header and that explains most of it."""
    by_norm = {normalise_label(h): h for h in headers}
    best: tuple[float, Match] | None = None
    for inst in instruments:
        for version in inst.versions:
            if not _named(version, file_name) or not all(normalise_label(h) in by_norm for h in version.required()):
                continue
            columns = {
                by_norm[normalise_label(h)]: c for h, c in version.columns.items() if normalise_label(h) in by_norm
            }
            score = len(columns) / max(len(headers), 1) + (0.5 if version.file_name else 0)
            if best is None or score > best[0]:
                named = version.wave_in_name(file_name) if file_name else None
                best = (score, Match(inst, version, columns, version.wave if version.wave is not None else named))
    return best[1] if best else None


def closest_version(headers: list[str], instruments: list[Instrument]) -> str | None:
    """For an unmatched header: which instrument version is nearest, and how the columns differ."""
    norm = {normalise_label(h) for h in headers}
    best: tuple[int, str, list[str], list[str]] | None = None
    for inst in instruments:
        for version in inst.versions:
            missing = [h for h in version.required() if normalise_label(h) not in norm]
            known = {normalise_label(h) for h in version.columns}
            extra = [h for h in headers if normalise_label(h) not in known]
            if best is None or len(missing) + len(extra) < best[0]:
                best = (len(missing) + len(extra), f"{inst.instrument} v{version.version}", missing, extra)
    if best is None:
        return None
    _, name, missing, extra = best
    shown = [f"it lacks {_some(missing)}"] if missing else []
    shown += [f"it has {_some(extra)}, which the definition does not name"] if extra else []
    return f"closest is {name}: " + "; ".join(shown)


def _some(headers: list[str], most: int = 5) -> str:
    quoted = ", ".join(f"'{h}'" for h in headers[:most])
    return quoted + (f" and {len(headers) - most} more" if len(headers) > most else "")
