"""The definitions a run computed with, kept in the warehouse (migration 008): the indicator menu, the waves
and the baseline instruments that declare grouping items.

Results as of an earlier run (`followup results --as-of-run N`) are computed with run N's definitions, not
today's: a table published then is reproduced after the menu, the waves or the groupings were edited. A set
is stored once (by its digest), so the warehouse grows with edits to the definitions, not with nights.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from followup.indicators import Indicator
from followup.instruments import Instrument


@dataclass(frozen=True)
class RunDefinitions:
    indicators: list[Indicator]
    waves: list[int]  # the follow-up waves (settings.waves.months; wave 0 is always added)
    instruments: list[Instrument]  # the baseline instruments with grouping items (what the breakdowns need)

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
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def digest(self) -> str:
        return hashlib.sha256(self.body().encode()).hexdigest()[:16]


def current(indicators: Sequence[Indicator], waves: Sequence[int], instruments: Sequence[Instrument]) -> RunDefinitions:
    """The definitions a run uses now (of the instruments, only the baseline ones that declare groupings)."""
    grouped = [i for i in instruments if i.kind == "baseline" and i.grouping]
    return RunDefinitions(list(indicators), [int(w) for w in waves], grouped)


def parse(body: str) -> RunDefinitions:
    """A stored set back as definitions (raises ValueError if it no longer reads as one)."""
    data = json.loads(body)
    return RunDefinitions(
        [Indicator.model_validate(i) for i in data["indicators"]],
        [int(w) for w in data["waves"]],
        [Instrument.model_validate(i) for i in data["baseline_instruments"]],
    )
