"""Which graduate wrote each form, and when she left: the identities of a table's forms linked against what
the warehouse and the contact vault know (decided aliases, then `linkage.link`), and her exact exit date from
the vault, from which months since exit are counted to the day."""

from __future__ import annotations

import pandas as pd

from followup.anonymise import linkage
from followup.warehouse import Warehouse


def link_identities(wh: Warehouse, kind: str, who: pd.DataFrame) -> pd.DataFrame:
    """Add graduate_id, link_how, candidate_id and similarity to each form's identity (`pseudonym.identities`).

    A case-closure form defines its graduate (or is hers, if her name was linked before). Other forms keep
    what a person decided for their identity (`followup review`), else are linked by linkage.link against
    every identity the vault knows.
    """
    aliases = wh.aliases(decided_only=kind != "baseline")
    who = who.assign(
        graduate_id=who["alias_id"],
        link_how="none",
        candidate_id=None,
        similarity=float("nan"),
        recorded=kind == "baseline",
    )
    known = who["alias_id"].isin(list(aliases))
    linked = who["alias_id"].map(aliases)
    who.loc[known & linked.notna(), "graduate_id"] = linked[known & linked.notna()]
    who.loc[known, "link_how"] = "alias"
    if kind == "baseline":
        who.loc[~known, "link_how"] = "exact"
        return who
    unknown = who[~known]
    if len(unknown):
        decisions = linkage.link(unknown, wh.known_identities())
        who.loc[~known, "graduate_id"] = [
            d.graduate_id or a for d, a in zip(decisions, unknown["alias_id"], strict=True)
        ]
        who.loc[~known, "link_how"] = [d.how for d in decisions]
        who.loc[~known, "candidate_id"] = [d.candidate for d in decisions]
        who.loc[~known, "similarity"] = [d.similarity for d in decisions]
    return who


def with_exit_dates(wh: Warehouse, who: pd.DataFrame) -> pd.DataFrame:
    """The linked identities with each graduate's exact exit date filled in from the vault where the form
    does not give it (NaT for a graduate the vault has no date of)."""
    known = wh.exit_dates(list(pd.unique(who["graduate_id"].dropna())))
    return who.assign(exit_date=who["exit_date"].fillna(pd.to_datetime(who["graduate_id"].map(known))))
