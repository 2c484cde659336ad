"""Bytes to text for text exports: the encoding is detected from the bytes, never configured.

Google and Yandex write UTF-8 (Yandex sometimes with a BOM), Excel's "CSV" writes Windows-1251 on Russian
Windows and its "Unicode text" writes UTF-16 with a BOM. Anything else that decodes is checked for control
characters, which text exports never hold and binary files are full of.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from followup.readers.table import ReadError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
FALLBACKS = ("utf-8", "cp1251")
SAMPLE = 4096


def decode(path: Path, data: bytes) -> str:
    """The file's text; ReadError when it is not text or not in an encoding the shelters' tools write."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ReadError(
                    path,
                    "the Unicode text breaks off in the middle of a character: the file is cut short; export it again",
                ) from None
    if b"\x00" in data[:SAMPLE]:
        raise _binary(path)
    for encoding in FALLBACKS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _controls(text[:SAMPLE]) * 100 > min(len(text), SAMPLE):
            raise _binary(path)
        return text
    raise ReadError(path, "the text is neither UTF-8 nor Windows-1251; open it in Excel and save it as CSV UTF-8")


def _controls(sample: str) -> int:
    return sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")


def _binary(path: Path) -> ReadError:
    return ReadError(path, "this is not a text file (binary content); export the form again as CSV")
