"""Free-text redaction: names, phone numbers, e-mails, addresses and dates in comments become fixed tokens.

Phones, e-mails, addresses and dates are found by regular expressions; names by natasha's news NER, helped
where it is weak: all-lower-case or all-capital writing, Latin transliteration, patronymics, initials. The
rest of a comment stays for qualitative analysis. Nothing here prints or logs a text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

TOKENS = {"name": "[ИМЯ]", "phone": "[ТЕЛЕФОН]", "email": "[EMAIL]", "address": "[АДРЕС]", "date": "[ДАТА]"}
# When found spans overlap, they are merged and the merged span takes the kind that comes first here.
_PRIORITY = ("email", "phone", "address", "date", "name")


@dataclass(frozen=True, order=True)
class Span:
    """Characters [start, end) of a text are personal data of this kind."""

    start: int
    end: int
    kind: str


# --- e-mails and phones -----------------------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.\w{2,}")

# Ten national digits (a Russian number without its country code), one separator or bracket group allowed
# between any two: "912 345 67 89", "(912) 345-67-89", "(3452) 41-22-86", "9123456789".
_SEP = r"(?:[ \t]?[-()][ \t]?|[ \t])?"
PHONE = re.compile(rf"(?<![\w+])(?:(?:\+[ \t]?7|7|8){_SEP})?\(?\d(?:{_SEP}\d){{9}}(?![\w@])")
# A city number without its code ("тел. 41-22-86") counts only after a word that says it is a phone.
PHONE_AFTER_CUE = re.compile(
    r"(?:\b(?:тел|телефон|номер|моб|сот|т)\.?:?[ \t]*)(?P<number>\d{1,3}(?:[- ]?\d){4,6})(?![\w@])",
    re.IGNORECASE,
)

# --- dates ------------------------------------------------------------------------------------------------

_MONTHS = r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*\.?"
DATE_IN_WORDS = re.compile(
    rf"\b\d{{1,2}}(?:-?го)?\s+{_MONTHS}(?:\s+\d{{4}}(?:\s*(?:г\.|г\b|года\b|год\b))?)?",
    re.IGNORECASE,
)
DATE_NUMERIC = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}"  # ISO
    r"|(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})"  # 05.05.1990, 5/5/90
    r"|(?:0?[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2]))\b(?![.,]\d)"  # 10.10: no year, two-digit month
)

# --- addresses ----------------------------------------------------------------------------------------------

# A street by its type word, then its name (one to four words; "50 лет Октября"), then the house.
_ABBREVIATED = r"(?:ул|пр-кт|пр-т|просп|пр|пер|б-р|наб|ш|пл|мкр|туп)(?![\w-])\.?"
_SPELLED = (
    r"(?:улиц[аеуы]|проспект[еа]?|переулк?[еа]?|переул[оа]к|бульвар[еа]?|набережн(?:ая|ой)|шоссе|"
    r"площад[ьи]|микрорайон[еа]?|проезд[еа]?|тупик[еа]?|тракт[еа]?)"
)
_STREET_NAME = r"(?:[\w-]+\.?[ \t]+){0,3}[\w-]+"
_HOUSE = (
    r"(?:(?:д|дом)\.?[ \t]*)?\d{1,4}[а-яА-Я]?(?:[ \t]*[/-][ \t]*\d{1,4})?"
    r"(?:,?[ \t]*(?:корп(?:ус)?|к|стр(?:оение)?)\.?[ \t]*\d{1,3})?"
    r"(?:,?[ \t]*(?:кв(?:артира)?|комн(?:ата)?|ком)\.?[ \t]*\d{1,4})?"
)
_PLACE = (
    r"(?:\d{6},?[ \t]*)?(?:[А-ЯЁ][\w-]+[ \t]+обл(?:асть|\.)?,?[ \t]*)?"
    r"(?:(?:г|с|д|п|пос|пгт|дер|село|город|деревня|посёлок)\.?[ \t]*[А-ЯЁ][\w-]+,?[ \t]*)?"
)
ADDRESS = re.compile(
    rf"{_PLACE}(?:"
    rf"(?:\d{{1,2}}[ \t]*)?\b{_ABBREVIATED}[ \t]*(?:{_STREET_NAME})?[ \t]*,?[ \t]*{_HOUSE}"
    rf"|\b(?i:{_SPELLED})[ \t]+(?:[А-ЯЁ0-9][\w-]*\.?[ \t]+){{0,3}}?[А-ЯЁ][\w-]*[ \t]*,?[ \t]*{_HOUSE}"
    rf"|\b[А-ЯЁ][\w-]+[ \t]+(?:тракт|шоссе|проспект|бульвар|переулок|проезд)[ \t]*,?[ \t]*{_HOUSE}"
    rf"|\bСНТ[ \t]+«?[\w-]+»?,?[ \t]*(?:участок|уч\.)[ \t]*\d{{1,4}}"
    r")(?![\w])"
)
# "на Ленина 5-12": a street without its type word, recognised by house and flat.
ADDRESS_BARE = re.compile(r"(?<=\bна )[А-ЯЁ][а-яё]+[ \t]+\d{1,4}[а-я]?(?:-\d{1,4}|,?[ \t]*кв\.?[ \t]*\d{1,4})\b")


def pattern_spans(text: str) -> list[Span]:
    """Phones, e-mails, dates and addresses found by the regular expressions above."""
    spans = [Span(m.start(), m.end(), "email") for m in EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "phone") for m in PHONE.finditer(text)]
    spans += [Span(m.start("number"), m.end("number"), "phone") for m in PHONE_AFTER_CUE.finditer(text)]
    spans += [Span(m.start(), m.end(), "date") for m in DATE_IN_WORDS.finditer(text)]
    spans += [Span(m.start(), m.end(), "date") for m in DATE_NUMERIC.finditer(text)]
    spans += [Span(m.start(), m.end(), "address") for m in ADDRESS.finditer(text)]
    spans += [Span(m.start(), m.end(), "address") for m in ADDRESS_BARE.finditer(text)]
    return [s for s in spans if s.end > s.start]


# --- names ------------------------------------------------------------------------------------------------

# Patronymics: "Петровне", "Ринатовна", "Ильиничной", "Ивановичу", "Petrovne". A few short adjectives end
# like "-овна" ("виновна", "условна"): those are not names; "-ична" is a name only after a few stems.
PATRONYMIC = re.compile(
    r"\b[А-ЯЁа-яё]{2,}(?:ов|ев|ёв)н(?:а|ы|е|у|ой|ою)\b"
    r"|\b(?i:ильин|никит|кузьмин|фомин|лукин|савв)ичн(?:а|ы|е|у|ой)\b"
    r"|\b[А-ЯЁ][а-яё]+(?:ов|ев)ич(?:а|у|ем|е)?\b"
    r"|\b[A-Z][a-z]+(?:ovn|evn|ichn)[aeuy]\b|\b[A-Z][a-z]+(?:ovich|evich)\b"
)
_NOT_PATRONYMIC = re.compile(
    r"(?:не|без)?(?:вин|усл|дух|грех|люб|церк|многосл|голосл|досл|сл|кр)(?:ов|ев)н[а-яё]*", re.IGNORECASE
)
# A surname with initials: "Кравченко Т. И.", "Абрамовой Е.В.", "Е. А. Смирнова".
INITIALS = re.compile(
    r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?[ \t]+[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.|\b[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.[ \t]?[А-ЯЁ][а-яё]+"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_WORD_IN_SPAN = re.compile(r"[^\W\d_]+")
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[ \t]+$")  # the word before a position, spaces apart
# Words for people ("дочка маша", "муж Андрей", "баба Зина"): they come before names and are never names.
_PERSON_WORDS = re.compile(
    r"сын(?:а|у|ом|е|ок|ка|ку|очек|очка|уля|ишка)?|доч(?:ь|ка|ки|ке|ку|кой|ери|ерью|урка|енька|а)|"
    r"муж(?:а|у|ем|е|ья|ик)?|мам(?:а|ы|е|у|ой|очка|уля)|мать|матер(?:и|ью)|пап(?:а|ы|е|у|ой)|отц(?:а|у|ом)|отец|"
    r"сестр(?:а|ы|е|у|ой|ёнка|енка|ичка)|брат(?:а|у|ом|е|ик)?|бабушк[а-яё]*|баб(?:а|е|у)|дедушк[а-яё]*|"
    r"дед(?:а|у|ом)?|сосед[а-яё]*|подруг[а-яё]*|друг(?:а|у|ом)?|пар(?:ень|ня|ню|нем)|свекр[а-яё]*|т[её]щ[а-яё]*|"
    r"внук[а-яё]*|внучк[а-яё]*|племянни[а-яё]*|т[её]т(?:я|и|е|ю|ей|ушка)|дяд[а-яё]*|крестн[а-яё]*|ребён[а-яё]*|"
    r"ребен[а-яё]*|малыш[а-яё]*|дет(?:и|ей|ям|ьми|ях|ки)|сожител[а-яё]*|партн[её]р[а-яё]*|бог(?:а|у|ом|е)?|"
    r"(?:куратор|психолог|юрист|воспитател|учител|педагог|директор|врач|логопед|соцработник|специалист|водител|"
    r"начальни|хозя|выпускниц|девоч|девушк|мальчи|младш|старш|бывш|парикмахер|уборщиц|руководител|продав|"
    r"кассир|повар|нян|медсестр|бухгалтер|администратор|оператор|женщин|мужчин|человек)[а-яё]*",
    re.IGNORECASE,
)
_NAMING_VERBS = re.compile(r"(?:зовут|звать|назвал[аи]?|имя|зовём|зовем)", re.IGNORECASE)
_LATIN = str.maketrans(
    {"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
     "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
     "u": "у", "v": "в", "w": "в", "x": "х", "y": "ы", "z": "з", "'": "ь"}
)  # fmt: skip
_LATIN_PAIRS = (("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
                ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("y", "й"))  # fmt: skip


@cache
def _models() -> tuple[Any, Any, Any]:
    """natasha's segmenter, NER and morphology taggers: loaded once per process, on first use (~1 s)."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    ner, morph = NewsNERTagger(embedding), NewsMorphTagger(embedding)
    ner.batch_size = morph.batch_size = 64
    return Segmenter(), ner, morph


def _latin_word(word: str) -> str:
    """A Latin-transliterated Russian word back in Cyrillic, closely enough for the NER: Irine → Ирине."""
    out, i, low = "", 0, word.lower()
    while i < len(low):
        for latin, cyrillic in _LATIN_PAIRS:
            # "y" is "й" only after a vowel (Sergey); elsewhere it is "ы" (the single-letter table).
            if low.startswith(latin, i) and (latin != "y" or (i > 0 and low[i - 1] in "aeiou")):
                out, i = out + cyrillic, i + len(latin)
                break
        else:
            out, i = out + low[i].translate(_LATIN), i + 1
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def _readable(text: str, skip: Sequence[Span]) -> tuple[str, list[int]]:
    """The text as the NER reads it best (capital-letter words in lower case, Latin words in Cyrillic),
    and for each of its characters the position it came from in the original."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    # Latin words are read as transliterated Russian only in a text written mostly in Latin letters; in a
    # Russian text they are brands ("WhatsApp", "Ozon").
    latin = sum(c.isascii() for c in text if c.isalpha()) > sum(not c.isascii() for c in text if c.isalpha())
    for m in _WORD.finditer(text):
        word = m.group()
        if any(s.start < m.end() and m.start() < s.end for s in skip):
            continue
        if len(word) >= 4 and word.isupper():
            new = word.lower()
        elif word.isascii() and latin:
            new = _latin_word(word)
        else:
            continue
        out.append(text[pos : m.start()])
        origin.extend(range(pos, m.start()))
        out.append(new)
        # Every character of the new word points into the old one, so a span maps back whole.
        origin.extend(m.start() + i * len(word) // len(new) for i in range(len(new) - 1))
        origin.append(m.end() - 1)
        pos = m.end()
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return "".join(out), origin


def _capitalised(text: str, words: Sequence[tuple[int, int]]) -> str:
    """The text with each of these words given a capital first letter (same length, same offsets)."""
    chars = list(text)
    for start, _ in words:
        chars[start] = chars[start].upper()
    return "".join(chars)


# "Здравствуйте", "Передайте": never a name ("-ите" would be: "Рите", "Маргарите").
_IMPERATIVE = re.compile(r"[А-ЯЁа-яё]+йте(?:сь)?")
_DIMINUTIVE = re.compile(r"[а-яё]+(?:ечк|очк|еньк|оньк|ушк|юшк|ул|юл|юш|уш)[а-яё]{0,3}")
_NOT_NAMES = {"ADP", "CCONJ", "SCONJ", "PRON", "DET", "NUM", "PART", "ADV", "AUX", "ADJ", "PUNCT", "INTJ", "VERB"}


@dataclass
class _Reading:
    """One text as the models read it: the readable view, its tokens and their morphology."""

    text: str
    view: str
    origin: list[int]  # for each character of view, its position in text
    tokens: list[tuple[int, int]]
    tags: list[Any] = field(default_factory=list)
    names: list[tuple[int, int]] = field(default_factory=list)  # in view

    def word(self, i: int) -> str:
        a, b = self.tokens[i]
        return self.view[a:b]

    def at_sentence_start(self, i: int) -> bool:
        j = self.tokens[i][0] - 1
        while j >= 0 and self.view[j] in ' \t\r«"(—-':
            j -= 1
        return j < 0 or self.view[j] in ".!?…\n"

    def named(self, i: int) -> bool:
        a, b = self.tokens[i]
        return any(s < b and a < e for s, e in self.names)


def _ner(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    return [[(s.start, s.stop, s.type) for s in markup.spans] for markup in _models()[1].map(list(texts))]


def _morph(words: Sequence[Sequence[str]]) -> list[list[Any]]:
    return [markup.tokens for markup in _models()[2].map([list(w) for w in words])]


def _animate_proper(tag: Any) -> bool:
    return tag.pos == "PROPN" and tag.feats.get("Animacy") == "Anim"


def _trimmed(view: str, start: int, end: int) -> tuple[int, int]:
    """A PER span without what the NER takes in along with a name at the start of a sentence: a greeting or
    an imperative ("Здравствуйте Ольга Николаевна", "Передайте Гульнаре Рашидовне"), or a word for a person
    standing alone ("Выпускница")."""
    first = _WORD.match(view, start)
    if first and _IMPERATIVE.fullmatch(first.group()):
        start = first.end() + len(view[first.end() : end]) - len(view[first.end() : end].lstrip())
    return (start, start) if _PERSON_WORDS.fullmatch(view[start:end]) else (start, end)


def _lower_candidate(reading: _Reading, i: int) -> bool:
    """A lower-case word worth reading again with a capital letter: an animate noun ("маша", "колей"), a
    diminutive ("сонечки"), the first word of a sentence, or a word right after "зовут", "дочка", "муж"."""
    word, tag = reading.word(i), reading.tags[i]
    if tag.pos in {"PROPN", "X"} or (tag.pos == "NOUN" and tag.feats.get("Animacy") == "Anim"):
        return True
    if tag.pos == "NOUN" and (_DIMINUTIVE.fullmatch(word) or reading.at_sentence_start(i)):
        return True
    before = [reading.word(j) for j in range(max(0, i - 2), i)]
    cue = (bool(before) and bool(_PERSON_WORDS.fullmatch(before[-1]))) or any(map(_NAMING_VERBS.fullmatch, before))
    # Lower-case names ending in -а/-я are sometimes taken for verbs ("серёжа", "коля"); a verb in -ла is not.
    verb_like = tag.pos == "VERB" and tag.feats.get("VerbForm") != "Part" and word[-1] in "ая" and word[-2:] != "ла"
    return cue and (tag.pos not in _NOT_NAMES or verb_like)


def name_spans(texts: Sequence[str], skip: Sequence[Sequence[Span]]) -> list[list[Span]]:
    """Names in each text: natasha's PER spans, and the names it passes over when they are not capitalised
    or stand first in a sentence (the NER leans on capital letters; its morphology tagger helps), and
    patronymics and initials by pattern. Words inside the skip spans (e-mails, ...) are not transliterated."""
    segmenter = _models()[0]
    readings = []
    for text, spans in zip(texts, skip, strict=True):
        view, origin = _readable(text, spans)
        readings.append(_Reading(text, view, origin, [(t.start, t.stop) for t in segmenter.tokenize(view)]))
    for r, tags, found in zip(
        readings, _morph([_words(r) for r in readings]), _ner([r.view for r in readings]), strict=True
    ):
        r.tags = tags
        r.names = [_trimmed(r.view, s, e) for s, e, kind in found if kind == "PER"]
        r.names = [(s, e) for s, e in r.names if e > s]
    starting: list[list[int]] = []  # capitalised first words of sentences that may be names
    lower: list[list[int]] = []  # lower-case words that may be names
    for r in readings:
        starting.append([])
        lower.append([])
        for i, tag in enumerate(r.tags):
            word = r.word(i)
            if not word.isalpha() or len(word) < 2 or _PERSON_WORDS.fullmatch(word) or r.named(i):
                continue
            if r.text[r.origin[r.tokens[i][0]]].isascii():  # transliterated words are left to the NER alone
                continue
            if word[0].isupper() and word[1:].islower() and _animate_proper(tag):
                if r.at_sentence_start(i):
                    starting[-1].append(i)
                else:  # a capital letter inside a sentence, on a word the tagger takes for a person
                    r.names.append(r.tokens[i])
            elif word.islower() and _lower_candidate(r, i):
                lower[-1].append(i)
    # A capitalised first word of a sentence is a name if the tagger takes it for a noun in lower case too
    # ("Надя"; not "Устроилась", which it takes for a proper name when it starts a sentence). The NER's name
    # of one word that starts a sentence is no name when, in lower case, it is an adjective before its noun
    # ("Съёмное жильё", "Муниципальная квартира"; "Белая звонила" stays a name).
    lone = [[i for i, t in enumerate(r.tokens) if t in r.names and r.at_sentence_start(i)] for r in readings]
    ask = [k for k in range(len(readings)) if starting[k] or lone[k]]
    for k, tags in zip(ask, _morph([[w.lower() for w in _words(readings[k])] for k in ask]), strict=True):
        r = readings[k]
        r.names += [r.tokens[i] for i in starting[k] if tags[i].pos in {"NOUN", "PROPN"}]
        attributes = {
            r.tokens[i] for i in lone[k] if tags[i].pos == "ADJ" and i + 1 < len(tags) and tags[i + 1].pos == "NOUN"
        }
        r.names = [n for n in r.names if n not in attributes]
    # Lower-case candidates are read again with a capital letter ("дочка маша" -> "дочка Маша"): a name if the
    # NER then calls it PER and the tagger an animate proper name.
    ask = [k for k, idx in enumerate(lower) if idx]
    views = [_capitalised(readings[k].view, [readings[k].tokens[i] for i in lower[k]]) for k in ask]
    words = [[v[a:b] for a, b in readings[k].tokens] for k, v in zip(ask, views, strict=True)]
    for k, found, tags in zip(ask, _ner(views), _morph(words), strict=True):
        per = [(s, e) for s, e, kind in found if kind == "PER"]
        for i in lower[k]:
            a, b = readings[k].tokens[i]
            if _animate_proper(tags[i]) and any(s < b and a < e for s, e in per):
                readings[k].names.append((a, b))
    return [
        [Span(r.origin[a], r.origin[b - 1] + 1, "name") for a, b in r.names]
        + _patronymic_spans(r.text)
        + [Span(m.start(), m.end(), "name") for m in INITIALS.finditer(r.text)]
        for r in readings
    ]


def _words(reading: _Reading) -> list[str]:
    return [reading.word(i) for i in range(len(reading.tokens))]


def _patronymic_spans(text: str) -> list[Span]:
    """Each patronymic with the first name before it: "вере павловне", "Зульфие Ринатовне"."""
    spans = []
    for m in PATRONYMIC.finditer(text):
        if _NOT_PATRONYMIC.fullmatch(m.group()):
            continue
        before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        keep = before is not None and not _PERSON_WORDS.fullmatch(before.group(1))
        spans.append(Span(before.start() if before and keep else m.start(), m.end(), "name"))
    return spans


def _merge(text: str, spans: Sequence[Span]) -> list[Span]:
    """Overlapping spans become one (of the kind first in _PRIORITY); names only spaces apart become one."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and (
            span.start < merged[-1].end
            or (span.kind == merged[-1].kind == "name" and not text[merged[-1].end : span.start].strip(" \t"))
        ):
            last = merged.pop()
            kind = min(last.kind, span.kind, key=_PRIORITY.index)
            merged.append(Span(last.start, max(last.end, span.end), kind))
        else:
            merged.append(span)
    return merged


# The case endings of Russian nouns: «Надежд|у», «Радуг|ой» are the organisation; «Мари|на» is not «Мари|я».
_CASE_ENDINGS = {
    "",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "и",
    "ы",
    "ой",
    "ей",
    "ою",
    "ею",
    "ом",
    "ем",
    "ам",
    "ям",
    "ах",
    "ях",
    "ами",
    "ями",
}


def kept_word(word: str, keep: Collection[str]) -> bool:
    """Whether a word is one of `keep` (lower case, е for ё) or an inflection of one («Надежду», «Радуге»: the
    same stem, the last letter of a word of 5 letters or more aside, and a case ending), as written or read
    from Latin letters."""
    if not keep:
        return False
    low = word.lower().replace("ё", "е")
    readings = {low, _latin_word(low).replace("ё", "е")} if low.isascii() else {low}
    for reading in readings:
        if reading in keep:
            return True
        for k in keep:
            stem = k[:-1] if len(k) >= 5 else k
            if len(stem) >= 4 and reading.startswith(stem) and reading[len(stem) :] in _CASE_ENDINGS:
                return True
    return False


def _not_kept(text: str, span: Span, keep: Collection[str]) -> bool:
    """A name span is kept as a name unless every word of it is a word to keep (an organisation's name)."""
    words = _WORD_IN_SPAN.findall(text[span.start : span.end])
    return span.kind != "name" or not words or not all(kept_word(w, keep) for w in words)


def find_spans(texts: Sequence[str], keep: Collection[str] = ()) -> list[list[Span]]:
    """The personal data in each text, as non-overlapping spans in text order. A name found whose words are
    all in `keep` (the words of the organisations' names: «КЦ Надежда») is left as it is; with another
    word beside them ("Надежда Петрова") it is a name."""
    patterns = [pattern_spans(text) for text in texts]
    names = name_spans(texts, patterns)
    names = [[s for s in n if _not_kept(t, s, keep)] for t, n in zip(texts, names, strict=True)]
    return [_merge(text, p + n) for text, p, n in zip(texts, patterns, names, strict=True)]


def apply(text: str, spans: Sequence[Span]) -> str:
    """The text with each span replaced by its kind's token."""
    out, pos = [], 0
    for span in spans:
        out += [text[pos : span.start], TOKENS[span.kind]]
        pos = span.end
    return "".join([*out, text[pos:]])


def redact(texts: Sequence[str], keep: Collection[str] = ()) -> list[str]:
    """Each text with names, phones, e-mails, addresses and dates replaced by [ИМЯ], [ТЕЛЕФОН], [EMAIL],
    [АДРЕС] and [ДАТА]; `keep`: words never taken for a name by themselves (organisations' names, lower
    case, е for ё). Batch the texts: the models load once per process and read many texts at a time."""
    return [apply(text, spans) for text, spans in zip(texts, find_spans(texts, keep), strict=True)]


def redact_one(text: str) -> str:
    """One text redacted; for many, call redact() once with all of them."""
    return redact([text])[0]
