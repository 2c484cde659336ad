"""The shipped instrument definitions and the indicator menu: they load, are unambiguous and code their labels."""

from __future__ import annotations

import pytest

from followup.indicators import Indicator, load_indicators
from followup.instruments import Instrument, Item, Version, load_instruments, match_header
from followup.resources import schemas_dir

SHIPPED = schemas_dir() / "instruments"
INSTRUMENTS = load_instruments(SHIPPED)
VERSIONS = [(inst, version) for inst in INSTRUMENTS for version in inst.versions]
LABELLED = [
    (inst, item, code, label)
    for inst in INSTRUMENTS
    for item in inst.items
    if item.type in ("select_one", "likert")
    for code, labels in item.options.items()
    for label in labels
]


def _menu() -> list[Indicator]:
    return load_indicators([schemas_dir() / "indicators.yaml"], INSTRUMENTS)


def test_every_file_is_a_distinct_instrument() -> None:
    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) == len(INSTRUMENTS) >= 8
    assert {path.stem for path in files} == {inst.instrument for inst in INSTRUMENTS}
    assert {inst.kind for inst in INSTRUMENTS} == {"baseline", "followup", "assessment"}


def test_the_menu_has_every_indicator_type() -> None:
    menu = _menu()
    assert len(menu) >= 12
    assert len({ind.id for ind in menu}) == len(menu)
    assert {ind.type for ind in menu} == {"state", "event", "scale"}


def test_scale_indicators_use_items_of_one_scale() -> None:
    items = {item.code: item for inst in INSTRUMENTS for item in inst.items}
    for ind in _menu():
        if ind.type == "scale":
            scales = {(items[code].scale.min, items[code].scale.max) for code in ind.items if items[code].scale}
            assert len(scales) == 1, ind.id
            low, high = next(iter(scales))
            assert ind.threshold is not None and low <= ind.threshold <= high, ind.id


def test_event_and_state_codes_are_answers_of_their_item() -> None:
    for ind in _menu():
        if ind.type == "scale":
            continue
        codes = ind.positive if ind.type == "state" else ind.event
        defining = [item for inst in INSTRUMENTS for item in inst.items if item.code == ind.item]
        for item in defining:
            allowed = {"yes", "no"} if item.type == "yes_no" else set(item.options)
            assert set(codes) <= allowed, (ind.id, item.code)


def test_an_item_code_shared_by_instruments_has_one_type_and_the_same_answer_codes() -> None:
    seen: dict[str, tuple[str, Instrument]] = {}
    for inst in INSTRUMENTS:
        for item in inst.items:
            if item.code in seen:
                first_type, first = seen[item.code]
                assert item.type == first_type, (item.code, inst.instrument, first.instrument)
                if item.type == "select_one":
                    assert set(first.item(item.code).options) <= set(item.options) or set(item.options) <= set(
                        first.item(item.code).options
                    ), (item.code, inst.instrument, first.instrument)
            else:
                seen[item.code] = (item.type, inst)


@pytest.mark.parametrize(("inst", "version"), VERSIONS, ids=[f"{i.instrument}-v{v.version}" for i, v in VERSIONS])
def test_each_version_header_matches_itself(inst: Instrument, version: Version) -> None:
    match = match_header(list(version.columns), INSTRUMENTS)
    assert match is not None
    assert (match.instrument.instrument, match.version.version) == (inst.instrument, version.version)


@pytest.mark.parametrize(("inst", "version"), VERSIONS, ids=[f"{i.instrument}-v{v.version}" for i, v in VERSIONS])
def test_each_version_matches_itself_without_its_optional_columns(inst: Instrument, version: Version) -> None:
    match = match_header(version.required(), INSTRUMENTS)
    assert match is not None
    assert (match.instrument.instrument, match.version.version) == (inst.instrument, version.version)


@pytest.mark.parametrize(
    ("inst", "item", "code", "label"),
    LABELLED,
    ids=[f"{i.instrument}-{it.code}-{c}-{lab}" for i, it, c, lab in LABELLED],
)
def test_every_label_codes_to_its_option(inst: Instrument, item: Item, code: str, label: str) -> None:
    coded = item.code_answer(label)
    assert coded is not None and len(coded) == 1, (inst.instrument, item.code, label)
    assert coded[0][0] == code
    if item.type == "likert":
        assert coded[0][1] == float(code)


def test_select_multiple_labels_code_alone_and_joined() -> None:
    for inst in INSTRUMENTS:
        for item in inst.items:
            if item.type != "select_multiple":
                continue
            firsts = [labels[0] for labels in item.options.values()]
            for code, labels in item.options.items():
                for label in labels:
                    assert item.code_answer(label) == [(code, 1.0)]
            assert item.code_answer(", ".join(firsts)) == [(code, 1.0) for code in item.options]


def test_the_childs_name_is_never_kept() -> None:
    children = next(inst for inst in INSTRUMENTS if inst.instrument == "children_questionnaire")
    for version in children.versions:
        names = [header for header, col in version.columns.items() if col.role == "full_name"]
        assert names and all("мам" in header.lower() for header in names)
        child = [col for header, col in version.columns.items() if "ребёнка" in header and "имя" in header.lower()]
        assert child and all(col.role in ("ignore", "free_text") for col in child)
