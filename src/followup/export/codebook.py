"""The researcher export's variables: valid SPSS/Stata names, labels and value labels from the definitions.

Every item of every instrument (schemas/instruments/*.yaml and the home's) becomes one variable, or one
0/1 variable per option for a multiple-choice item; every indicator becomes one (and a score for scale
indicators). An item shared by several instruments (the same code) is one variable; its options are the
union of theirs, labelled as the first definition that has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from followup.indicators import Indicator
from followup.instruments import Instrument, Item

NAME_CHARS = 28  # Stata allows 32, but pyreadstat names a variable's value-label set after it plus a number
LABEL_CHARS = 80  # Stata's limit for a variable label (SPSS allows 256 bytes)
YES_NO = {1.0: "Да", 0.0: "Нет"}
CHOSEN = {1.0: "Выбрано", 0.0: "Не выбрано"}
# Words SPSS or Stata keep for themselves: such a name gets a trailing underscore.
RESERVED = {
    "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with",
    "byte", "double", "float", "if", "in", "int", "long", "using", "_all", "_n", "_pi", "_rc", "_skip",
}  # fmt: skip


@dataclass(frozen=True)
class Variable:
    """One column of the export: its name, label (source code first, so the label maps it back to the
    definitions), what it comes from and its value labels."""

    name: str
    label: str
    source: str  # `item:<code>`, `item:<code>=<option>`, `indicator:<id>`, `score:<id>` or a field's name
    values: dict[float, str] = field(default_factory=dict)

    @property
    def short_label(self) -> str:
        """The label cut to what Stata keeps (80 characters); the codebook holds the whole of it."""
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"


def label(source: str, text: str) -> str:
    """`code: text`: the code first, so that the label maps the variable back to the definitions."""
    return f"{source}: {text}" if text else source


class Names:
    """Hands out variable names valid for SPSS and Stata: ASCII letters, digits and _, starting with a
    letter, at most 32 characters, not a reserved word, each name once (a clash gets _2, _3, ...)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, wanted: str) -> str:
        name = re.sub(r"[^a-z0-9_]+", "_", wanted.lower()).strip("_") or "v"
        if not name[0].isalpha():
            name = f"v_{name}"
        if name in RESERVED:
            name += "_"
        name = name[:NAME_CHARS]
        candidate, n = name, 1
        while candidate in self.taken:
            n += 1
            suffix = f"_{n}"
            candidate = name[: NAME_CHARS - len(suffix)] + suffix
        self.taken.add(candidate)
        return candidate


@dataclass(frozen=True)
class ItemCoding:
    """How one item's coded answers become numbers in the wide file."""

    item: Item
    variables: list[Variable]  # one, or one per option (select_multiple)
    codes: dict[str, float]  # option code -> number (select_one); option code -> variable index (multiple)


def merged_items(instruments: list[Instrument]) -> list[Item]:
    """Each item code once, in the order the instruments define them (baseline first), options merged."""
    ordered = sorted(instruments, key=lambda inst: (inst.kind != "baseline", inst.kind != "followup"))
    found: dict[str, Item] = {}
    for inst in ordered:
        for item in inst.items:
            if item.code not in found:
                found[item.code] = item
                continue
            known = found[item.code]
            extra = {code: labels for code, labels in item.options.items() if code not in known.options}
            if extra:
                found[item.code] = known.model_copy(update={"options": {**known.options, **extra}})
    return list(found.values())


def item_coding(item: Item, names: Names) -> ItemCoding:
    source = f"item:{item.code}"
    if item.type == "select_multiple":
        variables = [
            Variable(names(f"{item.code}_{code}"), label(f"{item.code}={code}", labels[0]), f"{source}={code}", CHOSEN)
            for code, labels in item.options.items()
        ]
        return ItemCoding(item, variables, {code: float(n) for n, code in enumerate(item.options)})
    if item.type == "select_one":
        codes = {code: float(n) for n, code in enumerate(item.options, start=1)}
        values = {codes[code]: labels[0] for code, labels in item.options.items()}
        return ItemCoding(item, [Variable(names(item.code), label(item.code, item.text), source, values)], codes)
    if item.type == "yes_no":
        return ItemCoding(item, [Variable(names(item.code), label(item.code, item.text), source, YES_NO)], {})
    values = {float(code): labels[0] for code, labels in item.options.items()}  # likert labels, by number
    return ItemCoding(item, [Variable(names(item.code), label(item.code, item.text), source, values)], {})


def indicator_variables(indicators: list[Indicator], names: Names) -> list[tuple[Indicator, Variable, Variable | None]]:
    """Per indicator: its 0/1 value, and for a scale indicator its score (the mean of its items)."""
    out = []
    for ind in indicators:
        value = Variable(names(f"ind_{ind.id}"), label(f"indicator {ind.id}", ind.title), f"indicator:{ind.id}", YES_NO)
        score = None
        if ind.type == "scale":
            score = Variable(names(f"score_{ind.id}"), label(f"score {ind.id}", ind.title), f"score:{ind.id}")
        out.append((ind, value, score))
    return out
