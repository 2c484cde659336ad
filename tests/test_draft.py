"""`followup instrument draft`: a definition drafted from an export, saved unedited, loads that export."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Sequence
from pathlib import Path

import exports
import openpyxl
import pytest
from conftest import AS_OF, ROOT, run_cli

from followup.draft import draft, wave_file_name
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
    for word in words:  # in any case and with any ending: «Шестакова», «шестаковой»
        assert word[: max(4, len(word) - 2)].lower() not in text.lower(), word
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
    answers = ["Мама"] * 4 + ["Подруга"] * 4 + ["Бывший муж иногда"] * 3  # nothing the redactor finds
    who = [CANARY_PHONES[i % 4] for i in range(8)] + [CANARY_PHONES[4]] * 3
    rows = [[f"1{i % 9}.05.2025", phone, a] for i, (phone, a) in enumerate(zip(who, answers, strict=True))]
    text = assert_draft_loads(google_csv(tmp_path / "a.csv", header, rows), tmp_path)
    assert '"Кто вам помогает?": {role: free_text}' in text and "Бывший" not in text and "Мама" not in text


def test_file_and_sheet_names_with_a_womans_name_are_not_copied(tmp_path: Path) -> None:
    export = google_csv(tmp_path / "Интервью_Кузнецова_Дарья.csv", CANARY_HEADER, _canary_rows(3))
    text = draft(export)
    assert_no_canary(text)
    assert "title:" in text and "instrument: interv_yu\n" in text


# --- several exports of one form: a version per header, the wave from the file names -----------------------


def google_sheets_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """The same answers downloaded from the form's Google Sheet as XLSX: timestamps are date cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ответы на форму (1)"
    sheet.append(header)
    for row in rows:
        stamp = dt.datetime.strptime(row[0], "%d.%m.%Y %H:%M:%S")
        sheet.append([stamp, *(int(c) if c.isdigit() else c for c in row[1:])])
    book.save(path)
    return path


def test_one_instrument_from_the_exports_of_each_wave(tmp_path: Path) -> None:
    work = ("Есть ли у вас сейчас работа?", ["Да", "Нет", "Да"])
    exported = {
        2: google_csv(
            tmp_path / "Катамнез через 2 мес. (Ответы) - Ответы на форму (1).csv", CANARY_HEADER, _canary_rows(2)
        ),
        4: google_sheets_xlsx(tmp_path / "Катамнез через 4 мес. (Ответы).xlsx", CANARY_HEADER, _canary_rows(4)),
        6: google_csv(  # the 6-month form asks one more question: a second version
            tmp_path / "Катамнез через 6 мес. (Ответы) - Ответы на форму (1).csv",
            [*CANARY_HEADER, work[0]],
            [[*row, work[1][i % 3]] for i, row in enumerate(_canary_rows(6))],
        ),
    }
    text = draft(list(exported.values()))
    assert_no_canary(text)
    saved = tmp_path / "katamnez.yaml"
    saved.write_text(text, encoding="utf-8")
    instrument = load_instrument(saved)
    assert [v.file_name for v in instrument.versions] == ["*через {wave} мес*"] * 2
    assert [sorted(v.columns) for v in instrument.versions] == [
        sorted(CANARY_HEADER),
        sorted([*CANARY_HEADER, work[0]]),
    ]
    assert instrument.versions[0].columns["Отметка времени"].format == "%d.%m.%Y %H:%M:%S"
    for wave, export in exported.items():
        table = read_export(export)[0]
        match = match_header(table.headers, [instrument], export.name)
        assert match is not None and match.wave == wave, export.name
        assert match.version.version == (2 if wave == 6 else 1)
        checked = check(table, match, today=AS_OF + dt.timedelta(days=3650))
        assert checked.quarantine.empty and len(checked.records) == len(table.rows), export.name
    # The same question in every export is one item; the question added at 6 months is another.
    assert [i.text for i in instrument.items] == [*CANARY_HEADER[4:8], work[0]]


def test_the_draft_command_takes_several_exports(tmp_path: Path) -> None:
    files = [
        google_csv(tmp_path / f"Катамнез через {wave} мес.csv", CANARY_HEADER, _canary_rows(wave)) for wave in (3, 6)
    ]
    out = tmp_path / "katamnez.yaml"
    done = run_cli("instrument", "draft", *map(str, files), "--output", str(out))
    assert done.returncode == 0, done.stderr
    instrument = load_instrument(out)
    assert instrument.instrument == "katamnez_cherez_mes" and len(instrument.versions) == 1
    assert [instrument.versions[0].wave_in_name(f.name) for f in files] == [3, 6]


@pytest.mark.parametrize(
    ("names", "pattern"),
    [
        (["Катамнез через 2 мес.xlsx", "Катамнез через 4 мес.xlsx"], "*через {wave} мес*"),
        (["Катамнез через 2 мес 2025-05-05.csv", "Катамнез через 12 мес 2025-07-01.csv"], "*через {wave} мес*"),
        (["Катамнез_2мес (1).xlsx", "Катамнез_4мес (1).xlsx"], "*Катамнез_{wave}мес*"),
        (["Волна 1.csv", "Волна 2.csv"], "*Волна {wave}*"),
        (["Анкета через 6 месяцев.xlsx"], "*через {wave} месяцев*"),  # one file: the number says months
        (["Анкета (1).csv", "Анкета (2).csv"], None),  # a download's copy number is no wave
        (["Отчёт 2024.xlsx", "Отчёт 2025.xlsx"], None),  # years are no waves
        (["выпускницы_волна1.sav"], None),  # one file and no months: the first wave, not month 1
        (["Катамнез через 2 мес.csv", "Катамнез через 2 мес.xlsx"], "*через {wave} мес*"),
        (["Анкета 1 волна 2 мес.csv", "Анкета 2 волна 4 мес.csv"], "*волна {wave} мес*"),
    ],
)
def test_the_wave_is_read_from_file_names_that_differ_by_a_number(names: list[str], pattern: str | None) -> None:
    assert wave_file_name(names) == pattern


# --- dates and small whole numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "stamps", "written"),
    [
        ("Отметка времени", ["03.05.2025 9:03:11", "14.05.2025 19:44:02", "1.06.2025 0:15:00"], "%d.%m.%Y %H:%M:%S"),
        ("Дата звонка", ["03.05.2025", "14.05.2025", "1.06.2025"], "%d.%m.%Y"),
        ("Дата и время заполнения", ["03.05.2025 09:03", "14.05.2025 19:44", "01.06.2025 00:15"], "%d.%m.%Y %H:%M"),
        ("Дата", ["03.05.25", "14.05.25", "01.06.25"], "%d.%m.%y"),
    ],
)
def test_the_draft_writes_the_date_format_it_found(
    tmp_path: Path, header: str, stamps: list[str], written: str
) -> None:
    rows = [[stamps[i % 3], CANARY_NAMES[i], "Да"] for i in range(6)]
    text = assert_draft_loads(google_csv(tmp_path / "a.csv", [header, "ФИО", "Ребёнок живёт с вами?"], rows), tmp_path)
    assert f'"{header}": {{role: timestamp, format: "{written}"}}' in text


def test_a_date_column_of_no_known_role_keeps_its_format(tmp_path: Path) -> None:
    header = ["Отметка времени", "ФИО", "Когда вы переехали?"]
    rows = [[f"0{1 + i}.05.2025 10:00:00", CANARY_NAMES[i], f"{10 + i}.03.2025"] for i in range(6)]
    text = assert_draft_loads(google_csv(tmp_path / "a.csv", header, rows), tmp_path)
    assert '"Когда вы переехали?": {role: ignore, format: "%d.%m.%Y"}  # CHECK: holds dates' in text


KOBO_LABELS = [
    "start",
    "end",
    "ФИО",
    "Телефон",
    "Месяц после выхода",
    "Сколько месяцев вы прожили в приюте?",
    "Как вы оцениваете своё самочувствие? (1 – плохо, 5 – отлично)",
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
]


def kobo_calls_csv(folder: Path, wave_header: str = "Месяц после выхода", waves: Sequence[str] = "1234") -> Path:
    """KoboToolbox CSV with labels as headers: monthly calls after exit, each saying which month it is."""
    rows = []
    for i in range(12):
        month = waves[i % len(waves)]
        rows.append(
            [
                f"2025-0{3 + i % 4}-1{i % 10}T10:00:00.000+03:00",
                f"2025-0{3 + i % 4}-1{i % 10}T10:20:00.000+03:00",
                CANARY_NAMES[i % 6],
                CANARY_PHONES[i % 5],
                month,
                str(1 + i % 10),
                str(1 + i % 5),
                str(300 + i),
                f"5d0e8c1a-3b5e-4c7a-9f1e-2a7b9c4d1e{i:02d}",
                f"2025-0{3 + i % 4}-1{i % 10}T07:20:41",
                str(i + 1),
            ]
        )
    header = [wave_header if h == "Месяц после выхода" else h for h in KOBO_LABELS]
    path = folder / "aKc9Qx_-_latest_version_-_labels_-_2025-07-01-10-00-00.csv"
    path.write_text(exports._delimited([header, *rows], ";", quote_all=True), encoding="utf-8")
    return path


def test_a_months_after_exit_column_is_the_wave_and_a_count_is_a_number(tmp_path: Path) -> None:
    text = assert_draft_loads(kobo_calls_csv(tmp_path), tmp_path)
    assert '"Месяц после выхода": {role: wave}' in text
    assert_no_canary(text)
    instrument = load_instrument(tmp_path / "drafted.yaml")
    items = {item.text: item for item in instrument.items}
    assert items["Сколько месяцев вы прожили в приюте?"].type == "number"
    assert items[KOBO_LABELS[6]].type == "likert"
    wave = instrument.versions[0].columns["Месяц после выхода"]
    assert [wave.wave_of(m) for m in "1234"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("header", "waves", "role"),
    [
        ("Номер звонка", "1234", "wave"),
        ("Номер звонка", "1", "wave"),  # only first calls in this export: a wave, not a yes/no
        ("Волна", ["2 мес.", "4 мес.", "6 мес."], "wave"),
        ("month_since_exit", "0136", "wave"),
        ("Оценка специалиста", "1234", None),  # a small whole number without a word for waves: a scale
    ],
)
def test_a_wave_column_is_guessed_from_its_header_and_numbers(
    tmp_path: Path, header: str, waves: Sequence[str], role: str | None
) -> None:
    text = assert_draft_loads(kobo_calls_csv(tmp_path, header, waves), tmp_path)
    assert (f'"{header}": {{role: wave}}' in text) is (role == "wave")
    if role is None:
        assert any(i.text == header and i.type == "likert" for i in load_instrument(tmp_path / "drafted.yaml").items)


def test_a_version_declares_its_wave_once(tmp_path: Path) -> None:
    """A wave column beside a wave in the file name, or a second wave column, is drafted as ignored."""
    named = [kobo_calls_csv(tmp_path).rename(tmp_path / f"Звонки через {m} мес.csv") for m in (1, 2)]
    text = draft(named)
    assert '"Месяц после выхода": {role: ignore}  # CHECK: it seems to hold the wave, which the file name' in text
    (tmp_path / "named.yaml").write_text(text, encoding="utf-8")
    assert load_instrument(tmp_path / "named.yaml").versions[0].file_name == "*через {wave} мес*"

    rows = [[f"1{i}.05.2025", CANARY_PHONES[i % 5], str(1 + i % 4), str(1 + i % 4)] for i in range(8)]
    both = google_csv(tmp_path / "calls.csv", ["Дата звонка", "Телефон", "Месяц после выхода", "Номер звонка"], rows)
    text = assert_draft_loads(both, tmp_path)
    assert '"Месяц после выхода": {role: wave}' in text
    assert "\"Номер звонка\": {role: ignore}  # CHECK: it seems to hold the wave, which 'Месяц после выхода'" in text


def test_the_draft_example_in_schemas_readme_works_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL) if "instrument draft" in b)
    command = next(shlex.split(c) for c in block.replace("\\\n", " ").splitlines() if "Катамнез" in c)
    assert command[:3] == [".venv/bin/followup", "instrument", "draft"]
    *names, _, output = command[3:]
    for wave, name in zip((2, 4, 6), names, strict=True):
        google_sheets_xlsx(tmp_path / name, CANARY_HEADER, _canary_rows(wave))
    (tmp_path / "my-home" / "instruments").mkdir(parents=True)
    done = run_cli(*command[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    instrument = load_instrument(tmp_path / output)
    assert 'file_name: "*через {wave} мес*"' in readme and instrument.versions[0].file_name == "*через {wave} мес*"
    assert [instrument.versions[0].wave_in_name(name) for name in names] == [2, 4, 6]
    assert_no_canary((tmp_path / output).read_text(encoding="utf-8"))


def test_a_wave_column_of_labels_gets_the_months_they_stand_for(tmp_path: Path) -> None:
    labels = ["Через полгода", "Через 1 год", "Через полтора года", "3 мес."]
    text = assert_draft_loads(kobo_calls_csv(tmp_path, "Волна катамнеза", labels), tmp_path)
    wave = load_instrument(tmp_path / "drafted.yaml").versions[0].columns["Волна катамнеза"]
    assert wave.role == "wave" and wave.waves == {"Через полгода": 6, "Через 1 год": 12, "Через полтора года": 18}
    assert [wave.wave_of(label) for label in labels] == [6, 12, 18, 3]
    assert_no_canary(text)


def test_identity_columns_named_in_latin_letters_and_addresses_are_not_questions(tmp_path: Path) -> None:
    header = ["today", "gr_identity/fio", "gr_identity/telefon", "gr_identity/pochta", "Адрес проживания", "_uuid"]
    streets = ["ул. Мельникайте, д. 12, кв. 4", "пр-т Ленина 8-15", "Тюмень, ул. Широтная 100"]
    first_names = [name.split()[1].lower() for name in CANARY_NAMES]
    rows = [
        [f"2025-05-1{i}", first_names[i % 6], CANARY_PHONES[i % 5], CANARY_EMAILS[i % 3], streets[i % 3], f"id-{i}"]
        for i in range(9)
    ]
    text = draft(google_csv(tmp_path / "kobo.csv", header, rows))
    assert_no_canary(text)
    assert '"gr_identity/fio": {role: full_name}' in text and '"gr_identity/telefon": {role: phone}' in text
    assert '"gr_identity/pochta": {role: email}' in text and '"Адрес проживания": {role: ignore}' in text
    assert "Мельникайте" not in text and "Широтная" not in text and "options:" not in text
