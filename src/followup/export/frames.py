"""The researcher export's two files as DataFrames, from what the warehouse holds.

* wide (`graduate_waves`): one row per graduate and wave she answered in: pseudonym, organisation,
  cohort, exit period, age group, wave, months since exit, every coded item as a column (numbers, with
  value labels in the codebook), and every indicator's value (and score).
* long (`answers`): one row per coded answer of every form: the same graduate columns, instrument,
  version, kind, wave, months since exit, item, value (the code), value_label, value_num.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from followup.export.codebook import (
    ItemCoding,
    Names,
    Variable,
    indicator_variables,
    item_coding,
    label,
    merged_items,
)
from followup.export.kanonymity import Generalised
from followup.indicators import Indicator
from followup.instruments import Instrument


@dataclass(frozen=True)
class Tables:
    """The export's files and the variables (columns) of each, in order."""

    wide: pd.DataFrame
    wide_variables: list[Variable]
    long: pd.DataFrame
    long_variables: list[Variable]


def person_variables(names: Names, people: Generalised) -> list[Variable]:
    exit_label = {"month": "месяц", "quarter": "квартал", "year": "год"}[people.exit_level]
    age_label = {
        "birth_year": "год рождения",
        "age_band_5": "возраст при выходе, 5 лет",
        "age_band_10": "возраст при выходе, 10 лет",
        "none": "не указан ни для кого: иначе нарушалась бы k-анонимность",
    }[people.age_level]
    out = [
        Variable(names("graduate_id"), label("graduate_id", "Псевдоним выпускницы"), "graduate_id"),
        Variable(names("organisation"), label("organisation", "Организация"), "organisation"),
        Variable(names("cohort"), label("cohort", "Год выхода"), "cohort"),
        Variable(names("exit_period"), label("exit_period", f"Выход из приюта ({exit_label})"), "exit_period"),
        Variable(names("age_group"), label("age_group", f"Возраст ({age_label})"), "age_group"),
    ]
    return out + [
        Variable(names(c), label(c, "Ответ при выходе (квази-идентификатор)"), c) for c in people.quasi_identifiers[3:]
    ]


def wide_table(
    people: Generalised,
    waves: pd.DataFrame,
    latest: pd.DataFrame,
    values: pd.DataFrame,
    instruments: list[Instrument],
    indicators: list[Indicator],
) -> tuple[pd.DataFrame, list[Variable]]:
    """`waves`: graduate_id, wave, months_since_exit; `latest`: graduate_id, wave, item, value, value_num
    (the latest answer per wave); `values`: graduate_id, wave, indicator, value, score."""
    names = Names()
    variables = person_variables(names, people)
    variables += [
        Variable(names("wave"), label("wave", "Волна (месяцев после выхода)"), "wave"),
        Variable(names("months_since_exit"), label("months_since_exit", "Месяцев после выхода"), "months_since_exit"),
    ]
    kept = people.people["graduate_id"]
    rows = waves[waves["graduate_id"].isin(kept)].sort_values(["graduate_id", "wave"])
    table = people.people.merge(rows, on="graduate_id", how="inner")
    key = ["graduate_id", "wave"]
    answered = set(latest["item"])
    latest = latest[latest["graduate_id"].isin(kept)]
    columns: dict[str, pd.Series] = {}
    for item in merged_items(instruments):
        if item.code not in answered:
            continue
        coding = item_coding(item, names)
        variables += coding.variables
        columns.update(_item_columns(coding, latest[latest["item"] == item.code], key))
    scored = values[values["graduate_id"].isin(kept)]
    for ind, value, score in indicator_variables(indicators, names):
        mine = scored[scored["indicator"] == ind.id].set_index(key)
        variables.append(value)
        columns[value.name] = mine["value"]
        if score is not None:
            variables.append(score)
            columns[score.name] = mine["score"]
    index = pd.MultiIndex.from_frame(table[key])
    coded = pd.DataFrame({name: col.reindex(index).to_numpy(dtype=float) for name, col in columns.items()})
    wide = pd.concat([table.reset_index(drop=True), coded], axis=1)
    return wide[[v.source if v.source in wide else v.name for v in variables]].set_axis(
        [v.name for v in variables], axis=1
    ), variables


def _item_columns(coding: ItemCoding, answers: pd.DataFrame, key: list[str]) -> dict[str, pd.Series]:
    """The item's column(s), indexed by graduate and wave."""
    item = coding.item
    if item.type == "select_multiple":
        chosen = answers.assign(n=answers["value"].map(coding.codes)).dropna(subset=["n"])
        who = answers[key].drop_duplicates().set_index(key).index  # answered the item: 0 where not chosen
        out = {}
        for n, var in enumerate(coding.variables):
            picked = chosen[chosen["n"] == n].set_index(key)
            out[var.name] = pd.Series(0.0, index=who).add(pd.Series(1.0, index=picked.index), fill_value=0)
        return out
    if item.type == "select_one":
        number = answers["value"].map(coding.codes)
    elif item.type == "yes_no":
        number = answers["value"].map({"yes": 1.0, "no": 0.0})
    else:
        number = answers["value_num"]
    one = answers.assign(number=number).drop_duplicates(key).set_index(key)["number"]
    return {coding.variables[0].name: one}


def long_table(
    people: Generalised, answers: pd.DataFrame, instruments: list[Instrument]
) -> tuple[pd.DataFrame, list[Variable]]:
    """`answers`: graduate_id, instrument, version, kind, wave, months_since_exit, item, value, value_num."""
    names = Names()
    variables = person_variables(names, people)
    more = [
        ("instrument", "Инструмент (schemas/instruments)"),
        ("version", "Версия инструмента"),
        ("kind", "Вид формы: baseline, followup, assessment"),
        ("wave", "Волна (месяцев после выхода)"),
        ("months_since_exit", "Месяцев после выхода"),
        ("item", "Код вопроса"),
        ("value", "Код ответа"),
        ("value_label", "Ответ"),
        ("value_num", "Ответ числом (да = 1, нет = 0)"),
    ]
    variables += [Variable(names(n), label(n, text), n) for n, text in more]
    labels = {
        (item.code, code): labels[0] for item in merged_items(instruments) for code, labels in item.options.items()
    }
    mine = answers[answers["graduate_id"].isin(people.people["graduate_id"])]
    table = people.people.merge(mine, on="graduate_id", how="inner")
    yes_no = table["value"].map({"yes": "Да", "no": "Нет"})
    table["value_label"] = [
        labels.get((item, value), "") for item, value in zip(table["item"], table["value"], strict=True)
    ]
    table["value_label"] = table["value_label"].where(table["value_label"] != "", yes_no.fillna(""))
    return table[[v.source for v in variables]].set_axis([v.name for v in variables], axis=1), variables
