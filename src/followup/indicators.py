"""The indicator menu (schemas/indicators.yaml): which social results are scored, and from which items.

Three kinds of indicator:
* `state` — the graduate's state at a wave: her latest answer to `item` in the wave is one of `positive`;
* `event` — something that happens once and stays (a repeat crisis, a child placed in care): reported in
  `item` with one of the `event` codes at this wave or any earlier one; the result is its absence
  (`result: absent`, the default) or its presence;
* `scale` — the mean of several numeric `items` (Likert scores) in the wave's latest form; the result is a
  score of at least `threshold`, or with `better: lower` (a symptom or stress score: PHQ-9, BDI-II) a score
  of at most `threshold`.

`better` belongs to scales only: a state's result is already the good answers (`positive`) and an event's
is its absence or presence (`result`). A scale without it is `higher`, also in the definitions a run stored
before the field existed (`followup results --as-of-run`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from followup.definition_files import DefinitionError, explain, read_definition
from followup.instruments import Instrument, Item


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    type: Literal["state", "event", "scale"]
    description: str = ""
    item: str | None = None
    positive: list[str] = Field(default_factory=list)
    event: list[str] = Field(default_factory=list)
    result: Literal["absent", "present"] = "absent"
    items: list[str] = Field(default_factory=list)
    threshold: float | None = None
    # Which way a scale's score is better; None for states and events (validated even when left out).
    better: Literal["higher", "lower"] | None = Field(default=None, validate_default=True)

    @field_validator("better")
    @classmethod
    def _direction(cls, better: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if kind == "scale":
            return better or "higher"
        if better is not None and kind is not None:
            what = {
                "state": "a state's result is one of its `positive` answers",
                "event": "an event's result is its absence or its presence (`result: absent` or `present`)",
            }[kind]
            raise ValueError(
                f"`better` is only for scale indicators (a score, better higher or lower); {what}: delete it"
            )
        return better

    @model_validator(mode="after")
    def _complete(self) -> Indicator:
        need = {
            "state": ("item", "positive"),
            "event": ("item", "event"),
            "scale": ("items", "threshold"),
        }[self.type]
        for name in need:
            if getattr(self, name) in (None, []):
                raise ValueError(f"a {self.type} indicator needs `{name}`")
        return self

    @property
    def lower_is_better(self) -> bool:
        """A scale whose result is a score of at most `threshold` (and whose fall is an improvement)."""
        return self.better == "lower"

    def item_codes(self) -> list[str]:
        return self.items if self.type == "scale" else [str(self.item)]


class Menu(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicators: list[Indicator]


def read_menu(path: Path) -> list[Indicator]:
    """The indicators of one menu file, as written (their items not yet checked against any instrument)."""
    data, tree = read_definition(path)
    try:
        return list(Menu.model_validate(data).indicators)
    except ValidationError as exc:
        raise explain(path, tree, exc) from None


def item_problem(ind: Indicator, items: dict[str, Item]) -> str | None:
    """What keeps `ind` from being scored from `items` (code -> item), or None when nothing does."""
    for code in ind.item_codes():
        if code not in items:
            return f"indicator '{ind.id}' is scored from item '{code}', which no instrument defines"
        if ind.type == "scale" and items[code].type not in ("likert", "number", "yes_no"):
            return f"scale indicator '{ind.id}' needs numeric items; '{code}' is not"
    return None


def defined_items(instruments: list[Instrument]) -> dict[str, Item]:
    """Every item code the instruments define, each with its first definition (the home's own come first)."""
    items: dict[str, Item] = {}
    for inst in instruments:
        for item in inst.items:
            items.setdefault(item.code, item)
    return items


def load_indicators(paths: list[Path], instruments: list[Instrument]) -> list[Indicator]:
    """The menu from each file that exists, in order (a later file's indicator replaces one of the same id),
    checked against the items the instruments define."""
    items = defined_items(instruments)
    menu: dict[str, Indicator] = {}
    for path in paths:
        if not path.exists():
            continue
        for ind in read_menu(path):
            problem = item_problem(ind, items)
            if problem:
                raise DefinitionError(f"{path}: {problem}")
            menu[ind.id] = ind
    return list(menu.values())
