"""Guesses for one column of an export, for `followup instrument draft`: its role or question type.

Roles come from the header (name, phone, dates, free text) and from the answers themselves (names, phones
and e-mails are recognised by their shape and by the free-text redactor). Answers are written into a draft
only as the options of a question, and only when each of them is given often, by several women, and the
redactor finds nothing personal in it; any other text column is drafted as `free_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from followup.instruments import NO_LABELS, YES_LABELS, Column, normalise_label

ROLE_HINTS: list[tuple[str, str]] = [  # (role, pattern on the normalised header's last part), first match wins
    ("submission_id", r"^_?uuid$|instanceid|^id$|^case_?id$"),
    (
        "timestamp",
        r"^_submission_time$|отметка времени|время создания|timestamp"
        r"|дата (и время )?(заполнения|интервью|опроса|оценки|звонка|ответа)|^дата( и время)?$",
    ),
    ("ignore", r"^_|^(__version__|start|end|today|deviceid|№|n|#|номер п/п|интервьюер|специалист)$|^formhub"),
    ("birth_date", r"дата рождения|^д\.?р\.?$|birth|data_rozhd|^dob$"),
    ("exit_date", r"дата (завершения|выхода|выписки|окончания|выбытия)"),
    # KoboToolbox and SPSS name their columns in Latin letters: fio, telefon, familiya
    ("phone", r"телефон|^тел\.?|phone|мобильн|whatsapp|ватсап|номер для связи|контактный номер|telefon|^tel$"),
    ("email", r"e-?mail|электронн\w* почт|^почта|^pochta"),
    ("full_name", r"фио|фамилия|^имя|имя и отчество|^name$|full_?name|как вас зовут|ваше имя|^fio|familiya|^imya"),
    ("organisation", r"^организация$|^учреждение$"),
    ("free_text", r"комментари|comment|расскажите|опишите|почему|пожелани|цитат|что бы вы|примечани|другое"),
    # an address has no role that keeps it: it is dropped
    ("ignore", r"^адрес|адрес (проживания|регистрации|места жительства)|место жительства \(адрес"),
]
# Values that look like personal data make a column an identity column whatever its header says.
VALUE_HINTS: list[tuple[str, str]] = [
    ("full_name", r"^[А-ЯЁ][а-яё-]+(\s+[А-ЯЁ][а-яё-]+){1,2}$|^[А-ЯЁ][а-яё-]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?$"),
    ("phone", r"^[+(]?[\d\s()+-]{10,18}$"),
    ("email", r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
]
IDENTITY_ROLES = ("full_name", "phone", "email")
DATE_ROLES = ("timestamp", "exit_date", "birth_date")
# The redactor's token for an answer that is nothing but a name, a phone or an e-mail.
_NAME_TOKEN = "[ИМЯ]"
_TOKEN_ROLES = {_NAME_TOKEN: "full_name", "[ТЕЛЕФОН]": "phone", "[EMAIL]": "email"}
DATE_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"]
# A header that says the column holds the wave: months since exit, the wave or the call's number.
WAVE_HEADER = re.compile(
    r"волн|wave|месяц\w* после|мес\w* после|месяц\w* с (момента )?(выхода|выпуска)|^месяц$|^мес\.?$"
    r"|номер звонка|звонок №|^звонок$|номер контакта|months?[ _]+(since|after)|follow.?up[ _]+month"
)
# A header that asks for a count or an amount: whole numbers there are a number, not a 1–5 scale.
COUNT_HEADER = re.compile(
    r"\bсколько|количеств|кол-во|число|номер|возраст|\bлет\b|месяц|\bмес\b|\bгод|раз\b|дней|недел|руб|№"
)
MIN_OPTION_COUNT = 3  # an answer is written as an option only when given at least this often ...
MIN_OPTION_RESPONDENTS = 2  # ... by at least this many women (one woman repeating a text is not an option)
MAX_OPTIONS = 15


@dataclass
class Guess:
    header: str
    role: str | None = None
    item_type: str | None = None
    options: dict[str, list[str]] | None = None
    scale: tuple[float, float] | None = None
    fmt: str | None = None
    waves: dict[str, int] | None = None  # role wave: the months its labels stand for
    note: str = ""


def identity_role(header: str, values: pd.Series) -> tuple[str | None, str]:
    """The role the header names, else an identity role the answers show (with a CHECK note), else None."""
    norm = normalise_label(header).rsplit("/", 1)[-1]
    for role, pattern in ROLE_HINTS:
        if re.search(pattern, norm):
            return role, ""
    filled = _filled(values)
    if filled.empty:
        return None, ""
    for role, pattern in VALUE_HINTS:
        if filled.str.fullmatch(pattern).mean() >= 0.8:
            return role, "CHECK: the answers look like personal data"
    sample = filled.drop_duplicates().head(50)
    if _numbers(sample).notna().all():
        return None, ""
    from followup.anonymise.redact import redact

    redacted = pd.Series(redact(sample.tolist()), index=sample.index, dtype="string").str.strip()
    for token, role in _TOKEN_ROLES.items():
        if (redacted == token).mean() >= 0.8:
            return role, "CHECK: the answers look like personal data"
    if pd.Series([_is_name(text, done) for text, done in zip(sample, redacted, strict=True)]).mean() >= 0.8:
        return "full_name", "CHECK: the answers look like personal data"
    return None, ""


def _is_name(text: str, redacted: str) -> bool:
    """Two or three words of which the redactor took a name, and what it left is at most one long word (the
    NER misses a surname written in lower case: «кузнецова [ИМЯ]»)."""
    left = redacted.replace(_NAME_TOKEN, " ").split()
    return 2 <= len(text.split()) <= 3 and _NAME_TOKEN in redacted and len(left) <= 1 and all(len(w) >= 4 for w in left)


def guess_column(
    header: str,
    values: pd.Series,
    headers: list[str],
    respondents: pd.Series | None = None,
    known: tuple[str | None, str] | None = None,
) -> Guess:
    """The role or question type of one column. `values` are its cells as text ("" when blank), pooled
    over every export drafted from; `respondents` says whose each cell is (same index), to tell options
    many women chose from a text one woman wrote several times; `known`: identity_role() if already asked."""
    g = Guess(header)
    filled = _filled(values)
    g.role, g.note = known if known is not None else identity_role(header, values)
    if g.role in DATE_ROLES:
        g.fmt = _date_format(filled) if len(filled) else None
        return g
    if g.role:
        return g
    if any(other != header and header.startswith(other + "/") for other in headers):
        g.role, g.note = "ignore", "a 0/1 column of a multiple choice; its answers are read from the main column"
        return g
    suffixes = [h[len(header) + 1 :] for h in headers if h.startswith(header + "/")]
    if suffixes:  # KoboToolbox: the main column of a multiple choice, with one 0/1 column per option
        taken: set[str] = set()
        g.item_type, g.options = "select_multiple", {code_for(x, taken): [x] for x in suffixes}
        return g
    if filled.empty:
        g.role, g.note = "ignore", "CHECK: the column is empty in this export; say what it holds"
        return g
    norm = normalise_label(header)
    waves = _waves(filled) if WAVE_HEADER.search(norm) else None
    if waves is not None and (not waves or _safe_options(filled, _who(filled, respondents))):
        g.role, g.waves = "wave", waves or None
        g.note = (
            "CHECK: the wave each form belongs to, as months since exit; if the column holds labels or call "
            "numbers that are not months, say what each stands for in waves: {label: months}"
        )
        return g
    if set(filled.map(normalise_label).unique()) <= set(YES_LABELS) | set(NO_LABELS):
        g.item_type = "yes_no"
        return g
    numbers = _numbers(filled)
    if numbers.notna().all():
        whole = bool((numbers == numbers.round()).all())
        small = whole and numbers.min() >= 0 and numbers.max() <= 10 and numbers.nunique() <= 11
        if small and not COUNT_HEADER.search(norm):
            g.item_type, g.scale = "likert", (1.0 if numbers.min() >= 1 else 0.0, 5.0 if numbers.max() <= 5 else 10.0)
        else:
            g.item_type = "number"
        return g
    fmt = _date_format(filled)
    if fmt is not None or _is_iso(filled):
        g.role, g.fmt = "ignore", fmt
        g.note = "CHECK: holds dates; use role: timestamp or exit_date if it is one"
        return g
    return _choice(g, filled, _who(filled, respondents))


def _who(filled: pd.Series, respondents: pd.Series | None) -> pd.Series:
    return respondents.loc[filled.index] if respondents is not None else pd.Series(filled.index, index=filled.index)


def _choice(g: Guess, filled: pd.Series, who: pd.Series) -> Guess:
    """A select_one or select_multiple item when its options are safe to write, else free text."""
    parts = filled.str.split(", ").explode().str.strip()
    has_comma = filled.str.contains(", ", regex=False)
    # Several answers joined, not one answer with a comma («Да, полностью»): some answer is given alone and
    # also joined to another.
    alone = set(filled[~has_comma].map(normalise_label))
    joined = (
        has_comma.mean() >= 0.2
        and parts.str.len().max() <= 60
        and bool(alone & set(parts[parts.index.isin(filled.index[has_comma])].map(normalise_label)))
    )
    if joined and parts.nunique() <= MAX_OPTIONS and _safe_options(parts, who.loc[parts.index]):
        g.item_type, g.options = "select_multiple", _options(parts)
        g.note = "CHECK: several answers joined by commas, or one answer with a comma?"
    elif filled.map(normalise_label).nunique() <= MAX_OPTIONS and _safe_options(filled, who):
        g.item_type, g.options = "select_one", _options(filled)
    else:
        g.role = "free_text"
        g.note = "answers are varied text: kept only redacted (names, phones... replaced)"
        if filled.map(normalise_label).duplicated().any():
            g.note = (
                "CHECK: some answers repeat, but not every answer is given often enough by several women to be "
                "written here as an option; if it is a question, make it an item and list its options"
            )
    return g


def _safe_options(answers: pd.Series, who: pd.Series) -> bool:
    """Each answer given at least MIN_OPTION_COUNT times by MIN_OPTION_RESPONDENTS women, and none holding
    anything the redactor would replace (a name, a phone, an e-mail, an address, a date)."""
    from followup.anonymise.redact import redact

    label = answers.map(normalise_label)
    counts = label.value_counts()
    women = pd.DataFrame({"label": label, "who": who}).groupby("label")["who"].nunique()
    if counts.min() < MIN_OPTION_COUNT or women.min() < MIN_OPTION_RESPONDENTS:
        return False
    distinct = answers.drop_duplicates().tolist()
    return redact(distinct) == distinct


def _waves(answers: pd.Series) -> dict[str, int] | None:
    """When every answer names a wave: the labels a `role: wave` column must be told the months of
    («Через полгода»: 6, «Через 1 год»: 12), empty when it reads them all as months itself ("2", "4 мес.");
    None when some answer names no wave (0–120 months)."""
    reader, labels = Column(role="wave"), {}
    for answer in answers.drop_duplicates():
        label = normalise_label(answer)
        number = reader.wave_of(label)
        months = _months_in_words(label, number)
        if months is not None:
            if months != number:
                labels[answer] = months
        elif number is None or number > 120:
            return None
    return labels


def _months_in_words(label: str, number: int | None) -> int | None:
    """Months said with words of half-years, quarters and years («через полгода», «через 2 года»); None
    when the label has none of these words."""
    for pattern, months in _MONTH_WORDS:
        if re.search(pattern, label):
            return months * (number or 1) if months in (3, 12) else months
    return None


_MONTH_WORDS = [(r"полгода|пол года|half", 6), (r"полтора", 18), (r"квартал", 3), (r"\bгод|\bлет\b|year", 12)]


def _filled(values: pd.Series) -> pd.Series:
    return values[values.str.strip() != ""].str.strip()


def _options(values: pd.Series) -> dict[str, list[str]]:
    taken: set[str] = set()
    first_spelling = values.groupby(values.map(normalise_label), sort=False).first()
    return {code_for(label, taken): [label] for label in first_spelling.sort_values()}


def _date_format(values: pd.Series) -> str | None:
    """The format of the dates not written as ISO (XLSX date cells arrive as ISO and always parse)."""
    typed = values[pd.to_datetime(values, format="ISO8601", errors="coerce").isna()]
    if typed.empty:
        return None
    for fmt in DATE_FORMATS:
        if pd.to_datetime(typed, format=fmt, errors="coerce").notna().all():
            return fmt
    return None


def _is_iso(values: pd.Series) -> bool:
    return bool(pd.to_datetime(values, format="ISO8601", errors="coerce").notna().all())


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.replace(",", ".", regex=False).str.replace(" ", ""), errors="coerce")


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def code_for(text: str, taken: set[str]) -> str:
    """A readable item or option code: the first words, transliterated, in snake_case, unique."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in normalise_label(text))
    words = [w for w in re.split(r"[^a-z0-9]+", latin) if w][:4]
    base = "_".join(words)[:32].strip("_") or "q"
    if not base[0].isalpha():
        base = f"q_{base}"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code
