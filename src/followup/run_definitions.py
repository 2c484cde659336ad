"""The definitions a run uses and keeps.

`definitions` chooses them: the home's own instruments (`instruments/*.yaml`) and indicator menu
(`indicators.yaml` in the home) always, and of the shipped ones (`schemas/`) those `[definitions]` in
followup.toml names ("all", "none" or a list of ids). The home's own come first, so that where an item code is
defined twice (a text, an option's label) her definition is the one shown.

`current` is what a run keeps in the warehouse (migration 008): the indicator menu, the waves, the baseline
instruments that declare grouping items and the item codes each instrument asks.

Results as of an earlier run (`followup results --as-of-run N`) are computed with run N's definitions, not
today's: a table published then is reproduced after the menu, the waves or the groupings were edited. A set
is stored once (by its digest), so the warehouse grows with edits to the definitions, not with nights.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from followup.definition_files import DefinitionError
from followup.home import Home
from followup.indicators import Indicator, defined_items, item_problem, read_menu
from followup.instruments import Instrument, Item, load_instruments
from followup.resources import schemas_dir

MENU_FILE = "indicators.yaml"  # the shipped menu in schemas/, the home's own in the home folder


@dataclass(frozen=True)
class RunDefinitions:
    indicators: list[Indicator]
    waves: list[int]  # the follow-up waves (settings.waves.months; wave 0 is always added)
    instruments: list[Instrument]  # the baseline instruments with grouping items (what the breakdowns need)
    # instrument id -> the item codes it asks, of every instrument in use (which indicators the tables show);
    # empty for a run that kept none (before this was kept): then the items its forms answered count
    asked: dict[str, list[str]] = field(default_factory=dict)

    @property
    def grouping(self) -> list[str]:
        """The baseline grouping item codes, in the instruments' order, each once."""
        return list(dict.fromkeys(code for i in self.instruments for code in i.grouping))

    def body(self) -> str:
        return json.dumps(
            {
                "indicators": [i.model_dump(mode="json") for i in self.indicators],
                "waves": list(self.waves),
                "baseline_instruments": [i.model_dump(mode="json") for i in self.instruments],
                "asked": self.asked,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def digest(self) -> str:
        return hashlib.sha256(self.body().encode()).hexdigest()[:16]


def current(indicators: Sequence[Indicator], waves: Sequence[int], instruments: Sequence[Instrument]) -> RunDefinitions:
    """The definitions a run uses now (of the instruments, only the baseline ones that declare groupings)."""
    grouped = [i for i in instruments if i.kind == "baseline" and i.grouping]
    asked = {i.instrument: [item.code for item in i.items] for i in instruments}
    return RunDefinitions(list(indicators), [int(w) for w in waves], grouped, asked)


def parse(body: str) -> RunDefinitions:
    """A stored set back as definitions (raises ValueError if it no longer reads as one)."""
    data = json.loads(body)
    return RunDefinitions(
        [Indicator.model_validate(i) for i in data["indicators"]],
        [int(w) for w in data["waves"]],
        [Instrument.model_validate(i) for i in data["baseline_instruments"]],
        {str(k): [str(c) for c in v] for k, v in data.get("asked", {}).items()},
    )


def definitions(home: Home) -> tuple[list[Instrument], list[Indicator]]:
    """The instruments and the indicator menu this home uses: its own, then the shipped ones `[definitions]`
    chooses (a home's instrument or indicator replaces a shipped one of the same id). Every indicator is checked
    against the items of the instruments in use. Raises DefinitionError naming what to change."""
    chosen = home.settings.definitions
    shipped = load_instruments(schemas_dir() / "instruments")
    _known(chosen.instruments, [i.instrument for i in shipped], "instruments", "schemas/instruments/*.yaml")
    own = load_instruments(home.instruments)
    mine = {i.instrument for i in own}
    instruments = own + [i for i in shipped if i.instrument not in mine and chosen.uses("instruments", i.instrument)]
    return instruments, _menu(home, instruments, shipped)


def _known(chosen: object, shipped: list[str], kind: str, where: str) -> None:
    if not isinstance(chosen, list):
        return
    unknown = [c for c in chosen if c not in shipped]
    if unknown:
        raise DefinitionError(
            f"followup.toml, [definitions] {kind}: {', '.join(repr(u) for u in unknown)} is not a shipped id "
            f"({where}); the shipped ones are: {', '.join(shipped)}. Your own are always used and need not be "
            'listed; write "all", "none" or a list of shipped ids.'
        )


def _menu(home: Home, instruments: list[Instrument], shipped: list[Instrument]) -> list[Indicator]:
    """The shipped menu as `[definitions] indicators` chooses it, then the home's (same id: the home's wins).
    With "all", a shipped indicator none of the instruments in use can score is left out; a listed one is an
    error naming the shipped instruments to switch on."""
    chosen = home.settings.definitions
    shipped_path, own_path = schemas_dir() / MENU_FILE, home.root / MENU_FILE
    shipped_menu = read_menu(shipped_path)
    _known(chosen.indicators, [i.id for i in shipped_menu], "indicators", f"schemas/{MENU_FILE}")
    own_menu = read_menu(own_path) if own_path.exists() else []
    items = defined_items(instruments)
    menu: dict[str, Indicator] = {}
    for ind in shipped_menu:
        if not chosen.uses("indicators", ind.id):
            continue
        problem = item_problem(ind, items)
        if problem and ind.id not in {o.id for o in own_menu}:
            if chosen.indicators == "all":
                continue  # (scored from a shipped instrument this home switched off)
            raise DefinitionError(
                f"followup.toml, [definitions] indicators: {problem}. {_switch_on(ind, items, shipped)}"
            )
        menu[ind.id] = ind
    for ind in own_menu:
        problem = item_problem(ind, items)
        if problem:
            raise DefinitionError(f"{own_path}: {problem}")
        menu[ind.id] = ind
    return list(menu.values())


def _switch_on(ind: Indicator, items: dict[str, Item], shipped: list[Instrument]) -> str:
    """What to do about a listed shipped indicator whose items no instrument in use defines."""
    missing = [c for c in ind.item_codes() if c not in items]
    asking = [i.instrument for i in shipped if any(c in {item.code for item in i.items} for c in missing)]
    if missing and asking:
        return (
            f"Add {' or '.join(repr(a) for a in asking)} to [definitions] instruments (it asks "
            f"{', '.join(missing)}), define the item in your own instrument, or take '{ind.id}' out of "
            "[definitions] indicators."
        )
    return f"Fix the item in your own instrument, or take '{ind.id}' out of [definitions] indicators."
