"""File and sheet names as they may be recorded: a woman's name, phone or e-mail in them becomes a token.

Interviewers name workbooks and sheets after the woman ("Интервью_Петрова_А.В.xlsx", a sheet "Иванова"),
and those names would otherwise reach the warehouse, quarantine, run logs and Prefect's database. A name is
found by the free-text redactor (natasha and patterns), by the morphology tagger calling a capitalised word
a person's proper name, and by being one of the words of a name the contact vault already knows. Dates stay:
in a file name they date the export. A few words of exports that the tagger takes for names are kept.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import PurePath

from followup.anonymise.redact import TOKENS, Span, _latin_word, _merge, _morph, apply, find_spans, kept_word

_WORD = re.compile(r"[^\W\d_]+")
_SEPARATORS = str.maketrans({"_": " ", "-": " ", "+": " "})
# Words of export and programme names that the tagger takes for a person's name ("Катамнез", "Март").
_KEEP = re.compile(
    r"катамнез\w*|катамнестич\w*|выпускниц\w*|анкет[аыеу]?|интервью|кобо|kobo|google|yandex|яндекс|"
    r"форм[аыеу]?|ответ(?:ы|ов)?|выгрузк[аиу]|export|sheet|лист\d*|приют[аеу]?|центр[аеу]?|"
    r"(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяе]|март[ае]?|ма[йя]|август[ае]?",
    re.IGNORECASE,
)
# How Russian women's names and surnames end (also transliterated): the tagger calls most unknown capitalised
# words proper names, so a word must also end like a name ("Заверш", "Closure" are not names).
_NAME_ENDING = re.compile(r"(?:[аяь]|ко|ук|юк|ич|ян|дзе|швили|ых|их)$", re.IGNORECASE)
_STAMP = re.compile(r"(?:19|20)\d\d[-_.]\d\d[-_.]\d\d")
_REPEATED_TOKEN = re.compile(r"(\[ИМЯ\])(?:[\s_.,-]*\[ИМЯ\])+")


def _split(name: str, extension: bool) -> tuple[str, str]:
    suffix = PurePath(name).suffix if extension else ""
    if suffix and not re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix):
        suffix = ""
    return name[: len(name) - len(suffix)], suffix


def _word_spans(text: str, known_words: Collection[str], keep: Collection[str]) -> list[Span]:
    words = [
        m
        for m in _WORD.finditer(text)
        if len(m.group()) >= 3 and not _KEEP.fullmatch(m.group()) and not kept_word(m.group(), keep)
    ]
    readable = [_latin_word(m.group()) if m.group().isascii() else m.group() for m in words]
    capitalised = [w[:1].upper() + w[1:].lower() for w in readable]
    tags = _morph([[w] for w in capitalised]) if capitalised else []
    spans = []
    for m, word, tag in zip(words, readable, tags, strict=True):
        known = word.lower().replace("ё", "е") in known_words or m.group().lower() in known_words
        # A lower-case Russian word is left to the redactor and the vault's names: the tagger, shown it with a
        # capital letter, takes ordinary nouns for names ("вложенность", "черта").
        written_as_name = m.group()[0].isupper() or m.group().isascii()
        person = written_as_name and tag[0].pos == "PROPN" and tag[0].feats.get("Animacy") == "Anim"
        if known or (person and _NAME_ENDING.search(word)):
            spans.append(Span(m.start(), m.end(), "name"))
    return spans


def _without_kept_words(stem: str, span: Span) -> list[Span]:
    """A span the redactor found, less the export words in it ("Катамнез Смирновой": only the name); a date
    and time of the export taken for a phone ("..._-_2026-08-02-10-12-44.csv", as KoboToolbox names it) stays."""
    if span.kind == "phone" and _STAMP.match(stem, span.start):
        return []
    if span.kind != "name":
        return [span]
    words = list(_WORD.finditer(stem, span.start, span.end))
    if not any(_KEEP.fullmatch(m.group()) for m in words):
        return [span]
    return [Span(m.start(), m.end(), "name") for m in words if not _KEEP.fullmatch(m.group())]


def _all_kept(words: str, keep: Collection[str]) -> bool:
    found = _WORD.findall(words)
    return bool(found) and all(kept_word(w, keep) for w in found)


def recorded_names(
    names: Sequence[str], known_words: Collection[str] = (), extension: bool = True, keep: Collection[str] = ()
) -> list[str]:
    """Each file name (or, with `extension=False`, sheet name) with names, phones and e-mails replaced by
    [ИМЯ], [ТЕЛЕФОН] and [EMAIL]; separators and the extension stay. `known_words`: lower-case words of the
    names the vault knows (е for ё); `keep`: words that are never a name by themselves (the organisations')."""
    parts = [_split(n, extension) for n in names]
    texts = [stem.translate(_SEPARATORS) for stem, _ in parts]  # same length: spans map back to the stem
    out = []
    for (stem, suffix), text, found in zip(parts, texts, find_spans(texts, keep), strict=True):
        kept = [part for s in found if s.kind in ("name", "phone", "email") for part in _without_kept_words(stem, s)]
        kept = [s for s in kept if s.kind != "name" or not _all_kept(stem[s.start : s.end], keep)]
        spans = _merge(stem, kept + _word_spans(text, known_words, keep))
        out.append(_REPEATED_TOKEN.sub(TOKENS["name"], apply(stem, spans)) + suffix)
    return out


def unique(names: Sequence[str]) -> list[str]:
    """Names made distinct by a number, in order: two sheets "[ИМЯ]" become "[ИМЯ]" and "[ИМЯ] (2)"."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def name_words(name_keys: Sequence[str]) -> set[str]:
    """The words (3 letters or more) of normalised names, for recorded_names(known_words=...)."""
    return {w for key in name_keys for w in str(key).split() if len(w) >= 3}
