"""The instruments as the demo's exports show them: headers and answer labels come from the definitions.

A `Form` is one version of a shipped instrument (schemas/instruments/*.yaml) with the optional columns an
organisation's export happens to have. It turns a graduate's answers, given as item and answer codes, into
one export row keyed by that version's headers, so a demo file can never drift from its definition.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from followup.instruments import Instrument, Item, Version, load_instrument
from followup.resources import schemas_dir

YES_NO = {"yes": "Да", "no": "Нет"}


@cache
def shipped(instrument: str) -> Instrument:
    """A shipped instrument definition, loaded (and checked) once."""
    return load_instrument(schemas_dir() / "instruments" / f"{instrument}.yaml")


@dataclass(frozen=True)
class Form:
    """One version of an instrument as an export has it: the headers in the definition's order."""

    instrument: Instrument
    version: Version
    headers: tuple[str, ...]

    @classmethod
    def of(cls, instrument: str, version: int, optional: Sequence[str] = ()) -> Form:
        """Version `version` of a shipped instrument with all its required columns and the `optional` ones."""
        inst = shipped(instrument)
        found = [v for v in inst.versions if v.version == version]
        if not found:
            raise ValueError(f"{instrument} has no version {version}")
        columns = found[0].columns
        wrong = [h for h in optional if h not in columns or not columns[h].optional]
        if wrong:
            raise ValueError(f"{instrument} v{version}: not optional columns of the definition: {wrong}")
        headers = tuple(h for h, c in columns.items() if not c.optional or h in optional)
        return cls(inst, found[0], headers)

    @property
    def name(self) -> str:
        return self.instrument.instrument

    def header(self, role: str) -> str:
        """The (first) header of this form that holds `role`."""
        return next(h for h in self.headers if self.version.columns[h].role == role)

    def items(self) -> list[str]:
        """The item codes this form asks, in column order."""
        return [str(self.version.columns[h].item) for h in self.headers if self.version.columns[h].item]

    def offers(self, item: str, code: str) -> bool:
        """Whether `code` is an answer of `item` in this instrument."""
        definition = self.instrument.item(item)
        return definition.type in ("yes_no", "likert", "number") or code in definition.options

    def row(
        self,
        answers: Mapping[str, str],
        fill: Mapping[str, object],
        rng: random.Random,
        *,
        codes: bool = False,
        alternative: float = 0.0,
    ) -> dict[str, object]:
        """One export row: each item column holds the answer's label ("" / missing code: left blank), each
        role column the value in `fill` under its header or else under its role (absent: left blank). A list
        under a role fills that role's columns in order (e.g. free_text: [quote, comment]).

        `codes` writes answer codes instead of labels (as KoboToolbox's JSON does); `alternative` is the
        chance that a cell shows another label of the same answer (a hand-kept sheet), when there is one.
        """
        row: dict[str, object] = {}
        taken: dict[str, int] = {}  # how many columns of each role are filled so far
        for header in self.headers:
            column = self.version.columns[header]
            if column.item:
                code = answers.get(column.item, "")
                value = _cell(self.instrument.item(column.item), code, rng, codes, alternative) if code else None
            elif header in fill:
                value = fill[header]
            else:
                role = str(column.role)
                value = fill.get(role)
                if isinstance(value, list):
                    taken[role] = taken.get(role, 0) + 1
                    value = value[taken[role] - 1] if taken[role] <= len(value) else None
            if value is not None and value != "":
                row[header] = value
        return row


def _cell(item: Item, code: str, rng: random.Random, codes: bool, alternative: float) -> object:
    """An answer code as its cell: a label (text), or a number for numbers and unlabelled scales."""
    if item.type == "number" or (item.type == "likert" and (codes or not item.options)):
        number = float(code)
        return int(number) if number.is_integer() else number
    if codes:
        return code
    if item.type == "yes_no":
        return YES_NO[code]
    labels = item.options[code]
    if alternative > 0 and len(labels) > 1 and rng.random() < alternative:
        return rng.choice(labels[1:])
    return labels[0]
