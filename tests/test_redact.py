"""Free-text redaction, measured on a labelled set of made-up follow-up comments, and its patterns one by one.

The labelled set (tests/data/redaction/comments.jsonl, see the README beside it) was written by hand: every
name, number and address in it is made up. Recall of a kind is the share of its labelled spans of which no
character survives; "kept" is the share of the other (non-space) characters that survive. Run with -s to see
the figures; the measuring tests fail with figures and comment ids, never with a text.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from followup.anonymise.redact import (
    ADDRESS,
    DATE_IN_WORDS,
    DATE_NUMERIC,
    EMAIL,
    INITIALS,
    PATRONYMIC,
    PHONE,
    TOKENS,
    Span,
    apply,
    find_spans,
    pattern_spans,
    redact,
    redact_one,
)

LABELLED = Path(__file__).parent / "data" / "redaction" / "comments.jsonl"
KINDS = ("name", "phone", "email", "address", "date")
# Floors a little under what was measured (367 comments, 2026-11; in brackets): a change that loses
# recall fails here. Phones and e-mails must all go.
RECALL_FLOOR = {"name": 0.97, "phone": 1.0, "email": 1.0, "address": 0.97, "date": 0.97}  # 0.989, 1, 1, 1, 1
HELD_OUT_NAME_FLOOR = 0.95  # 0.974 (38 of 39) on the part written after the heuristics were frozen
KEPT_FLOOR = 0.98  # 0.991 of the non-personal characters survive
SPAN_PRECISION_FLOOR = 0.95  # 0.977 (338 of 346) of the spans redacted touch a labelled span


@dataclass(frozen=True)
class Comment:
    id: int
    part: str  # "dev": the heuristics were tuned on it; "heldout": written after, measured once
    text: str
    spans: tuple[Span, ...]


def _load() -> list[Comment]:
    comments = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spans = tuple(Span(s["start"], s["end"], s["kind"]) for s in row["spans"])
        comments.append(Comment(row["id"], row["part"], row["text"], spans))
    return comments


COMMENTS = _load()


@pytest.fixture(scope="module")
def found() -> list[list[Span]]:
    return find_spans([c.text for c in COMMENTS])


def _covered(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def _recall(comments: list[Comment], found: list[list[Span]]) -> dict[str, tuple[int, int]]:
    """Per kind: (labelled spans wholly redacted, labelled spans)."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for comment, spans in zip(comments, found, strict=True):
        covered = _covered(spans)
        for s in comment.spans:
            total[s.kind] += 1
            hit[s.kind] += all(i in covered for i in range(s.start, s.end))
    return {kind: (hit[kind], total[kind]) for kind in KINDS}


def _figures(recall: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{k} {h}/{n} = {h / n:.3f}" for k, (h, n) in recall.items() if n)


def test_the_labelled_set_is_consistent() -> None:
    raw = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(raw) >= 200
    assert len({r["id"] for r in raw}) == len(raw)
    for row in raw:
        ends = 0
        for s in sorted(row["spans"], key=lambda s: s["start"]):
            assert s["kind"] in KINDS, row["id"]
            assert row["text"][s["start"] : s["end"]] == s["value"], row["id"]
            assert s["start"] >= ends, f"overlapping spans in comment {row['id']}"
            ends = s["end"]
    kinds = Counter(s.kind for c in COMMENTS for s in c.spans)
    assert kinds["name"] >= 150 and min(kinds.values()) >= 25, kinds
    assert sum(not c.spans for c in COMMENTS) >= 80, "a realistic set has many comments with no personal data"


def test_recall_per_kind(found: list[list[Span]]) -> None:
    recall = _recall(COMMENTS, found)
    figures = _figures(recall)
    print(f"\nredaction recall on {len(COMMENTS)} comments: {figures}")
    for kind, floor in RECALL_FLOOR.items():
        hit, total = recall[kind]
        assert hit / total >= floor, f"{kind} recall below {floor}: {figures}"


def test_recall_of_names_on_the_held_out_part(found: list[list[Span]]) -> None:
    part = [(c, s) for c, s in zip(COMMENTS, found, strict=True) if c.part == "heldout"]
    recall = _recall([c for c, _ in part], [s for _, s in part])
    figures = _figures(recall)
    print(f"\nheld-out part, {len(part)} comments: {figures}")
    hit, total = recall["name"]
    assert total >= 30 and hit / total >= HELD_OUT_NAME_FLOOR, figures
    assert recall["phone"][0] == recall["phone"][1] and recall["email"][0] == recall["email"][1], figures


def test_the_rest_of_the_text_stays(found: list[list[Span]]) -> None:
    kept = other = touching = redacted = 0
    for comment, spans in zip(COMMENTS, found, strict=True):
        labelled, covered = _covered(list(comment.spans)), _covered(spans)
        for i, char in enumerate(comment.text):
            if i not in labelled and not char.isspace():
                other += 1
                kept += i not in covered
        redacted += len(spans)
        touching += sum(any(i in labelled for i in range(s.start, s.end)) for s in spans)
    figures = f"kept {kept}/{other} = {kept / other:.3f} of other characters; {touching}/{redacted} spans touch a label"
    print(f"\nredaction precision: {figures}")
    assert kept / other >= KEPT_FLOOR, figures
    assert touching / redacted >= SPAN_PRECISION_FLOOR, figures


def test_redacted_text_holds_no_labelled_value_and_only_the_tokens(found: list[list[Span]]) -> None:
    texts = [c.text for c in COMMENTS]
    redacted = [apply(text, spans) for text, spans in zip(texts, found, strict=True)]
    assert redact(texts[:40]) == redacted[:40]  # the public entry point gives the same output
    covered = [_covered(spans) for spans in found]
    allowed = set(TOKENS.values())
    for comment, out, cov in zip(COMMENTS, redacted, covered, strict=True):
        brackets = re.findall(r"\[[^\]\[]*\]", out)
        assert set(brackets) <= allowed, f"comment {comment.id}: a token other than the five"
        for s in comment.spans:
            value = comment.text[s.start : s.end]
            assert not any(value.casefold() in token.casefold() for token in allowed)
            if all(i in cov for i in range(s.start, s.end)):
                # Whole-word search: a short name ("Ева") may be part of another word.
                assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", out), f"comment {comment.id}, {s.kind}"


def test_the_module_prints_and_logs_nothing(capsys: pytest.CaptureFixture[str], caplog) -> None:
    redact(["Спасибо Марине Петровне, мой номер 8 912 345 67 89"])
    out, err = capsys.readouterr()
    assert out == "" and err == "" and caplog.records == []


def test_natasha_is_imported_only_when_a_text_is_redacted() -> None:
    code = "import sys, followup.anonymise.redact; print('natasha' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


@pytest.mark.parametrize("hostile", ["8-" * 30000, "a." * 30000 + "@", "ул. " * 20000 + "5", "12." * 40000])
def test_the_patterns_take_linear_time_on_hostile_input(hostile: str) -> None:
    started = time.perf_counter()
    pattern_spans(hostile)
    assert time.perf_counter() - started < 3


def test_empty_and_blank_texts() -> None:
    assert redact([]) == []
    assert redact(["", " ", "\n", "—", "123", "Ok"]) == ["", " ", "\n", "—", "123", "Ok"]


def test_redact_one() -> None:
    assert redact_one("Звоните: 8 (912) 345-67-89, Маша") == "Звоните: [ТЕЛЕФОН], [ИМЯ]"


# --- the patterns, one by one -----------------------------------------------------------------------------


def _whole(pattern: re.Pattern[str], text: str) -> bool:
    """Does the pattern find exactly this text (searched inside a sentence)?"""
    sentence = f"Пишу вам: {text}, спасибо."
    return any(m.group() == text for m in pattern.finditer(sentence))


@pytest.mark.parametrize(
    "phone",
    [
        "+7 (912) 345-67-89",
        "8-912-345-67-89",
        "89123456789",
        "912 345 67 89",
        "+7 912 3456789",
        "8 (3452) 12-34-56",
        "+79123456789",
        "8(912)345-67-89",
        "8 912 345 67 89",
        "7 912 345 67 89",
        "+7-912-345-67-89",
        "8-919-95-411-22",
        "8 (34535) 2-14-56",
        "+7(3452)68-00-12",
        "8-800-2000-122",
        "9123456789",
        "8912 345 67 89",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert _whole(PHONE, phone)


@pytest.mark.parametrize(
    "text",
    [
        "Получаем 15 000 руб в месяц",
        "размер 104-110",
        "очередь под номером 1547",
        "с 8:00 до 17:00, график 5/2",
        "родился 12.03.2019",
        "дата 2023-11-03",
        "детям 3 и 5 лет, сертификат на 450 000 руб.",
        "аренда выросла с 15000 до 18000",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert not [s for s in pattern_spans(text) if s.kind == "phone"]


def test_a_city_number_after_its_cue() -> None:
    text = "Контакт бабушки: дом. тел. 41-22-86"
    assert [text[s.start : s.end] for s in pattern_spans(text) if s.kind == "phone"] == ["41-22-86"]


@pytest.mark.parametrize(
    "email",
    ["masha.kovaleva88@mail.ru", "IRINA.PETROVA@GMAIL.COM", "o.s.lapina@list.ru", "ksu-ksu@bk.ru", "мама@почта.рф"],
)
def test_emails(email: str) -> None:
    assert _whole(EMAIL, email)


def test_an_email_ends_before_the_full_stop() -> None:
    assert [m.group() for m in EMAIL.finditer("почта sveta-petrova@bk.ru.")] == ["sveta-petrova@bk.ru"]


@pytest.mark.parametrize(
    "address",
    [
        "ул. Ленина, д. 5, кв. 12",
        "улица Мира 3-45",
        "пр-т Победы 10",
        "мкр Солнечный, 7",
        "г. Тюмень, ул. Республики, 155, кв. 8",
        "ул.Герцена 12 кв 3",
        "ул 50 лет Октября 34 кв 78",
        "пер. Садовый, 4",
        "проспект Мира, дом 10, квартира 5",
        "Московский тракт 145",
        "г. Тобольск, 7 мкр, д. 15, кв. 2",
        "ул. Широтной, 120 к2, ком. 305",
        "625000, г. Тюмень, ул. Мельникайте, д. 101, кв. 45",
        "СНТ Рассвет, участок 112",
    ],
)
def test_addresses(address: str) -> None:
    assert _whole(ADDRESS, address)


@pytest.mark.parametrize(
    "text",
    [
        "Гуляем на улице каждый день, погода хорошая.",
        "Переехали в Тюмень, работаю.",
        "Сын пошёл в школу №12, дочь в садик №45.",
        "Дом культуры на площади, ходим туда по субботам.",
    ],
)
def test_words_that_are_not_addresses(text: str) -> None:
    assert not [s for s in pattern_spans(text) if s.kind == "address"]


@pytest.mark.parametrize(
    "date", ["12.03.2019", "3.7.18", "05/05/2021", "2023-11-03", "10.10", "03.03.24", "28/02/1970"]
)
def test_numeric_dates(date: str) -> None:
    assert _whole(DATE_NUMERIC, date)


@pytest.mark.parametrize(
    "date", ["5 мая", "5 мая 1990", "1 июня 2023 г.", "23-го июля", "8 Марта", "3 января 2024 года"]
)
def test_dates_in_words(date: str) -> None:
    assert _whole(DATE_IN_WORDS, date)


@pytest.mark.parametrize(
    "text", ["до 1,5 лет", "весит 18,5 кг", "в 2022 году", "в марте", "в 1.5 раза", "с 9.00 до 18.00"]
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert not [s for s in pattern_spans(text) if s.kind == "date"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("спасибо вере павловне за всё", "вере павловне"),
        ("Передайте Гульнаре Рашидовне привет", "Гульнаре Рашидовне"),
        ("Благодарим Виктора Павловича", "Виктора Павловича"),
        ("Spasibo Olga Viktorovna", "Olga Viktorovna"),
        ("привет Анне Ильиничне", "Анне Ильиничне"),
    ],
)
def test_patronymics_take_the_first_name_along(text: str, name: str) -> None:
    spans = [s for s in find_spans([text])[0] if s.kind == "name"]
    assert [text[s.start : s.end] for s in spans] == [name]


@pytest.mark.parametrize(
    "patronymic", ["Петровне", "Ринатовна", "Сергеевной", "Ильиничне", "Никитична", "Ивановичу", "Petrovne"]
)
def test_patronymic_forms(patronymic: str) -> None:
    assert _whole(PATRONYMIC, patronymic)


@pytest.mark.parametrize("text", ["она не виновна", "ситуация условна", "всё отлична", "это типична"])
def test_short_adjectives_are_not_patronymics(text: str) -> None:
    assert redact_one(text) == text


@pytest.mark.parametrize("name", ["Кравченко Т. И.", "Абрамовой Е.В.", "Е. А. Смирнова"])
def test_initials(name: str) -> None:
    assert _whole(INITIALS, name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("дочка маша ходит в садик", "дочка [ИМЯ] ходит в садик"),
        ("таня и коля передают привет", "[ИМЯ] и [ИМЯ] передают привет"),
        ("МАША ПОШЛА В ШКОЛУ", "[ИМЯ] ПОШЛА В ШКОЛУ"),
        ("Надя, перезвоню вечером", "[ИМЯ], перезвоню вечером"),
        ("Vse horosho, Vanya hodit v sadik", "Vse horosho, [ИМЯ] hodit v sadik"),
        ("Спасибо Ольге Викторовне и Лене", "Спасибо [ИМЯ] и [ИМЯ]"),
        ("зовут его максим, работает на стройке", "зовут его [ИМЯ], работает на стройке"),
    ],
)
def test_names_the_ner_alone_misses(text: str, expected: str) -> None:
    assert redact_one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Слава богу всё наладилось, спасибо центру.",
        "Есть надежда, что дадут жильё по соцнайму.",
        "Появилась вера в себя, хожу на курсы.",
        "Связь по WhatsApp, заказываю на Ozon.",
        "Устроилась на работу в Пятёрочку кассиром.",
        "Сын ходит в сад, муж работает, мама помогает.",
    ],
)
def test_common_words_stay(text: str) -> None:
    assert redact_one(text) == text


ORGANISATION_WORDS = {"надежда", "радуга"}  # Network.words() of «КЦ Надежда» and «Радуга» (followup.organisations)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("КЦ Надежда помогла с документами", "КЦ Надежда помогла с документами"),
        ("Снова обратилась в Надежду, там дали место", "Снова обратилась в Надежду, там дали место"),
        ("Надежда Петрова звонила, всё хорошо", "[ИМЯ] звонила, всё хорошо"),
        ("Надежда Сергеевна из опеки приходила", "[ИМЯ] из опеки приходила"),
        ("Дочка Маша ходит в сад, в Радуге помогли", "Дочка [ИМЯ] ходит в сад, в Радуге помогли"),
    ],
)
def test_an_organisations_name_is_no_womans_name_but_hers_still_is(text: str, expected: str) -> None:
    """Issue 14: the organisations' names are kept by themselves; beside a surname or patronymic they are hers."""
    assert redact([text], keep=ORGANISATION_WORDS) == [expected]


def test_without_the_organisations_words_the_name_is_taken() -> None:
    """The same text without the network's words: natasha takes «Надежда» for a woman (why `keep` exists)."""
    assert redact(["КЦ Надежда помогла с документами"]) == ["КЦ [ИМЯ] помогла с документами"]


@pytest.mark.parametrize("text", ["Съёмное жильё", "Съёмная квартира у подруги", "Муниципальное жильё"])
def test_an_adjective_starting_a_sentence_is_no_name(text: str) -> None:
    """natasha's NER calls «Съёмное» a person when it starts a text; an adjective before its noun is not one."""
    assert redact([text]) == [text]


def test_another_name_sharing_an_organisations_stem_is_still_a_name() -> None:
    """An organisation «Дом Марии» keeps «Марии», not «Марина»: only the case endings of its own word are kept."""
    assert redact(["Звонила Марина, у неё всё хорошо"], keep={"дом", "марии"}) == ["Звонила [ИМЯ], у неё всё хорошо"]
