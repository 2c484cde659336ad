"""`followup instrument draft`: a definition drafted from an export, saved unedited, loads that export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import exports
import pytest
from conftest import AS_OF, run_cli

from followup.draft import draft
from followup.instruments import Scale, load_instrument, match_header
from followup.readers import read_export
from followup.validate import check

BUILDERS = [
    exports.google_forms_csv,
    exports.yandex_forms_csv,
    exports.yandex_forms_xlsx,
    exports.kobo_csv,
    exports.kobo_xlsx,
    exports.kobo_json,
    exports.excel_csv,
    exports.coding_workbook,
    exports.spss_sav,
]


def assert_draft_loads(export: Path, folder: Path) -> str:
    text = draft(export)
    saved = folder / "drafted.yaml"
    saved.write_text(text, encoding="utf-8")
    instrument = load_instrument(saved)  # loads unedited
    for table in read_export(export):
        match = match_header(table.headers, [instrument], export.name)
        assert match is not None, table.sheet
        checked = check(table, match, today=AS_OF + dt.timedelta(days=3650))
        # Only cells left empty in the export may stop a row (a form must be dated); never a guessed answer.
        assert set(checked.quarantine["check"]) <= {"timestamp_present", "exit_date_present"}, checked.quarantine
        assert len(checked.records) + checked.quarantine["_row"].nunique() == len(table.rows)
    return text


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_a_draft_of_each_format_loads_its_own_file(tmp_path: Path, builder) -> None:  # type: ignore[no-untyped-def]
    export = builder(tmp_path)
    text = assert_draft_loads(export, tmp_path)
    # No personal value of the export is written into the draft.
    for value in [*exports.NAMES, *exports.PHONES]:
        for part in value.split():
            if len(part) > 4:
                assert part not in text, part


def test_the_draft_guesses_roles_and_types(tmp_path: Path) -> None:
    text = draft(exports.google_forms_csv(tmp_path))
    assert '{role: timestamp, format: "%d.%m.%Y %H:%M:%S"}' in text
    assert "{role: full_name}" in text and "{role: phone}" in text
    assert "type: likert" in text
    # Three women, three different answers each: too few to tell options from what one woman wrote.
    assert "type: select" not in text and "options:" not in text


def test_drafts_of_the_demo_exports_load_them(tmp_path: Path, demo_corpus) -> None:
    for export in demo_corpus.inbox_files:
        text = assert_draft_loads(export, tmp_path)
        assert "kind: baseline" in text if "Завершение" in export.name else "kind: followup" in text


def test_a_file_with_no_date_gets_a_draft_that_says_what_to_add(tmp_path: Path) -> None:
    text = draft(exports.excel_unicode_text(tmp_path))
    assert "CHECK: no date column was recognised" in text


def test_the_draft_command_writes_a_file(tmp_path: Path) -> None:
    export = exports.kobo_csv(tmp_path)
    out = tmp_path / "kobo.yaml"
    done = run_cli("instrument", "draft", str(export), "--output", str(out), "--id", "kobo_followup")
    assert done.returncode == 0, done.stderr
    assert "instrument: kobo_followup" in out.read_text(encoding="utf-8")
    missing = run_cli("instrument", "draft", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr


# --- personal data: planted canaries never reach the draft ------------------------------------------------

CANARY_NAMES = [
    "Кузнецова Дарья Олеговна",
    "Мельникова Зарина Рустамовна",
    "Ефремова Снежана Игоревна",
    "Долгорукова Владислава Павловна",
    "Шестакова Евгения Марковна",
    "Григорьева Ульяна Андреевна",
]
CANARY_PHONES = ["+7 912 457-31-08", "8 (982) 604-17-55", "89091234578", "+7 (3452) 61-48-29", "8 922 731 90 64"]
CANARY_EMAILS = ["darya.kuznetsova88@mail.ru", "zarina_mel@yandex.ru", "snezhana.efr@gmail.com"]
CHANGES = "Что изменилось в вашей жизни за это время?"
HOUSING_OPTIONS = ["Снимаю квартиру", "У родственников", "В общежитии"]
HELP = "Какую помощь вы получили?"


def _canary_rows(wave: int, count: int = 12) -> list[list[str]]:
    """A Google Forms wave of `count` women: name, phone, e-mail, housing, help, a 1–5 scale, children, and a
    column of what changed: «Без изменений» from most, a name and a phone in the others' own words."""
    rows = []
    for i in range(count):
        name = CANARY_NAMES[i % len(CANARY_NAMES)]
        changes = "Без изменений"
        if i == 1:
            changes = f"Вышла замуж, теперь я {CANARY_NAMES[3]}, звоните {CANARY_PHONES[1]}"
        elif i == 2:
            changes = f"Живу у сестры, Григорьевой Ульяны, её телефон {CANARY_PHONES[3]}"
        elif i == 3:
            changes = f"Пишите на {CANARY_EMAILS[2]}"
        elif i in (4, 5, 6):  # a caseworker's name, repeated by several women: still never an option
            changes = "Помогает куратор Шестакова Евгения"
        rows.append(
            [
                f"{3 + i}.{wave + 1:02d}.2025 {9 + i}:{i:02d}:1{i % 10}",
                name,
                CANARY_PHONES[i % len(CANARY_PHONES)],
                CANARY_EMAILS[i % len(CANARY_EMAILS)],
                HOUSING_OPTIONS[i % 3],
                ["Продукты, Одежда", "Одежда", "Продукты"][i % 3],
                str(1 + i % 5),
                str(1 + i % 3),
                changes,
            ]
        )
    return rows


CANARY_HEADER = [
    "Отметка времени",
    "Ваши фамилия, имя и отчество",
    "Номер телефона",
    "Адрес электронной почты",
    "Где вы сейчас живёте?",
    HELP,
    "Насколько вы довольны своей жизнью? (1 – совсем нет, 5 – полностью)",
    "Сколько у вас детей?",
    CHANGES,
]


def google_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text(exports._delimited([header, *rows], ","), encoding="utf-8")
    return path


def assert_no_canary(text: str) -> None:
    words = {w for value in CANARY_NAMES for w in value.split()} | {"Григорьевой", "Ульяны"}
    for word in words:
        assert word[:-2] not in text, word  # any ending: «Шестакова», «Шестаковой»
    digits = "".join(ch for ch in text if ch.isdigit())
    for phone in CANARY_PHONES:
        assert phone not in text and "".join(ch for ch in phone if ch.isdigit())[-10:] not in digits, phone
    for email in CANARY_EMAILS:
        assert email.split("@")[0] not in text, email


def test_a_partly_repeating_comment_column_is_free_text_and_carries_no_names(tmp_path: Path) -> None:
    export = google_csv(tmp_path / "Катамнез (Ответы) - Ответы на форму (1).csv", CANARY_HEADER, _canary_rows(6))
    text = assert_draft_loads(export, tmp_path)
    assert_no_canary(text)
    assert f'"{CHANGES}": {{role: free_text}}  # CHECK: some answers repeat' in text
    assert "Без изменений" not in text
    # The women's names, phones and e-mails are recognised as identity columns.
    assert '"Ваши фамилия, имя и отчество": {role: full_name}' in text
    assert '"Номер телефона": {role: phone}' in text and '"Адрес электронной почты": {role: email}' in text
    # A question that many women answered alike keeps its options; a count is a number, not a scale.
    items = {item.text: item for item in load_instrument(tmp_path / "drafted.yaml").items}
    housing = items["Где вы сейчас живёте?"]
    assert housing.type == "select_one" and sorted(housing.options.values()) == sorted([o] for o in HOUSING_OPTIONS)
    assert items[HELP].type == "select_multiple" and sorted(items[HELP].options.values()) == [["Одежда"], ["Продукты"]]
    assert items["Сколько у вас детей?"].type == "number"
    assert items[CANARY_HEADER[6]].type == "likert" and items[CANARY_HEADER[6]].scale == Scale(min=1, max=5)
    assert set(items) == set(CANARY_HEADER[4:8])


def test_identity_columns_are_recognised_by_their_answers(tmp_path: Path) -> None:
    header = ["Отметка времени", "Как к вам обращаться", "Куда позвонить", "Куда написать", "Где вы сейчас живёте?"]
    rows = [
        [r[0], r[1].lower(), r[2], r[3], r[4]]  # names written in lower case: only the redactor sees them
        for r in _canary_rows(2)
    ]
    text = assert_draft_loads(google_csv(tmp_path / "anketa.csv", header, rows), tmp_path)
    assert_no_canary(text)
    assert '"Как к вам обращаться": {role: full_name}' in text
    assert '"Куда позвонить": {role: phone}' in text and '"Куда написать": {role: email}' in text


@pytest.mark.parametrize(
    ("answers", "options"),
    [
        (["Да, полностью"] * 3 + ["Частично"] * 3 + ["Нет"] * 3, True),
        (["Да, полностью"] * 3 + ["Частично"] * 3 + ["Нет"] * 2, False),  # one answer given only twice
        (["Да, полностью"] * 3 + ["Частично"] * 3 + ["Только Ольга Петровна"] * 3, False),  # a name in it
    ],
)
def test_options_only_when_each_is_frequent_and_impersonal(tmp_path: Path, answers: list[str], options: bool) -> None:
    header = ["Отметка времени", "ФИО", "Вам помогают близкие?"]
    rows = [[f"0{1 + i}.03.2025", CANARY_NAMES[i % 6] + f" {i}", a] for i, a in enumerate(answers)]
    text = assert_draft_loads(google_csv(tmp_path / "a.csv", header, rows), tmp_path)
    assert ("type: select_one" in text) is options
    assert ("Частично" in text) is options and "Ольга" not in text


def test_one_woman_repeating_a_text_does_not_make_it_an_option(tmp_path: Path) -> None:
    header = ["Отметка времени", "Номер телефона", "Кто вам помогает?"]
    answers = ["Мама"] * 4 + ["Подруга"] * 4 + ["Звоните дочке Кате"] * 3
    who = [CANARY_PHONES[i % 4] for i in range(8)] + [CANARY_PHONES[4]] * 3
    rows = [[f"1{i % 9}.05.2025", phone, a] for i, (phone, a) in enumerate(zip(who, answers, strict=True))]
    text = assert_draft_loads(google_csv(tmp_path / "a.csv", header, rows), tmp_path)
    assert '"Кто вам помогает?": {role: free_text}' in text and "Кате" not in text and "Мама" not in text


def test_file_and_sheet_names_with_a_womans_name_are_not_copied(tmp_path: Path) -> None:
    export = google_csv(tmp_path / "Интервью_Кузнецова_Дарья.csv", CANARY_HEADER, _canary_rows(3))
    text = draft(export)
    assert_no_canary(text)
    assert "title:" in text and "instrument: interv_yu\n" in text
