"""What the result tables are of: the definitions whose forms are in the warehouse.

A home may have definitions no form of hers is filled in with (the shipped ones, by default). The tables show
an indicator only when an instrument whose forms are loaded asks one of its items, and break down only by the
baseline grouping items that some loaded case-closure form answers, labelled by the definitions of the forms
that were filled in (the home's own come first in the definitions, so hers win over a shipped one sharing an
item code). Nothing else is padded in: no row per indicator nobody was asked about, no all-«нет ответа»
grouping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from followup.indicators import Indicator
from followup.instruments import Instrument
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("in_use.sql")


@dataclass(frozen=True)
class InUse:
    indicators: list[Indicator]  # in menu order
    instruments: list[Instrument]  # baseline instruments with forms, grouping items cut to those answered


def in_use(
    wh: Warehouse,
    indicators: Sequence[Indicator],
    instruments: Sequence[Instrument],
    asked: Mapping[str, Sequence[str]] | None = None,
) -> InUse:
    """The indicators and baseline instruments the tables show, given the warehouse's forms. `asked` maps an
    instrument id to the item codes it asks (default: from `instruments`); an instrument with forms that is not
    in it (a run that kept no such map, a definition since removed) asks the items its forms answered."""
    forms = wh.frame(SQL, "forms_in_use")
    asked = {i.instrument: [item.code for item in i.items] for i in instruments} if asked is None else asked
    with_forms = set(forms["instrument"])
    answered = forms.dropna(subset=["item"])
    items = set(answered["item"]) | {code for inst in with_forms for code in asked.get(inst, ())}
    at_exit = set(answered.loc[answered["kind"] == "baseline", "item"])
    baseline = [
        inst.model_copy(update={"grouping": [code for code in inst.grouping if code in at_exit]})
        for inst in instruments
        if inst.kind == "baseline" and inst.instrument in with_forms
    ]
    shown = [ind for ind in indicators if any(code in items for code in ind.item_codes())]
    return InUse(shown, baseline)
