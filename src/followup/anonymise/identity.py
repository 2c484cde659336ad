"""Normalised identity: the same woman written differently gives the same text."""

from __future__ import annotations

import re

import phonenumbers

_NOT_LETTERS = re.compile(r"[^a-zа-я\s]")
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Lower case, ё → е, punctuation dropped, words sorted: order and spacing do not matter."""
    cleaned = _NOT_LETTERS.sub(" ", str(text).lower().replace("ё", "е"))
    return " ".join(sorted(_SPACES.split(cleaned.strip()))) if cleaned.strip() else ""


def normalise_phone(text: str, region: str = "RU") -> str:
    """E.164 (+79123456789) for anything phonenumbers can parse as a possible number, else ""."""
    raw = str(text).strip()
    if not raw:
        return ""
    digits = re.sub(r"\D", "", raw)
    # Russian habits: 8 instead of +7 before a 10-digit number, or the 10 digits alone.
    if region == "RU" and len(digits) == 11 and digits.startswith("8"):
        raw = "+7" + digits[1:]
    elif region == "RU" and len(digits) == 10 and digits.startswith("9"):
        raw = "+7" + digits
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
