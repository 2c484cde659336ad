"""The indicator menu (schemas/indicators.yaml): which social results are scored, and from which items."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from followup.instruments import Instrument, InstrumentError, explain_error, read_yaml


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    type: Literal["state"]
    item: str
    positive: list[str] = Field(min_length=1)


class Menu(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicators: list[Indicator]


def load_indicators(path: Path, instruments: list[Instrument]) -> list[Indicator]:
    """The menu, checked against the items the instruments define."""
    try:
        menu = Menu.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise explain_error(path, exc) from None
    items = {i.code for inst in instruments for i in inst.items}
    for ind in menu.indicators:
        if ind.item not in items:
            raise InstrumentError(
                f"{path}: indicator '{ind.id}' is scored from item '{ind.item}', which no instrument defines"
            )
    return menu.indicators
