"""Bytes to text for text exports: the encoding is detected from the bytes, never configured.

Google and Yandex write UTF-8 (Yandex sometimes with a BOM), Excel's "CSV" writes Windows-1251 on Russian
Windows and its "Unicode text" writes UTF-16 with a BOM. Anything else that decodes is checked for control
characters, which text exports never hold and binary files are full of.

Every byte decodes in Windows-1251, so a file saved in another Cyrillic encoding (KOI8-R from an old Linux
or mail program, Mac Cyrillic, DOS CP866) would be read as nonsense. Each of those encodings is tried on
the start of the file and the one whose letters are most like Russian text is named; a file in any of them
but Windows-1251 is refused with a way to convert it, rather than read as garbage. So is UTF-16 without its
mark (BOM) and UTF-32.
"""

from __future__ import annotations

import codecs
import math
from pathlib import Path

from followup.readers.table import ReadError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # checked first: UTF-32 LE starts like UTF-16 LE
SAMPLE = 4096
SCORED = 65536  # bytes whose letters judge a single-byte encoding
CYRILLIC = {  # single-byte encodings of Russian, Windows-1251 first (it wins a tie)
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
    "mac_cyrillic": "Mac Cyrillic",
    "cp866": "DOS (CP866)",
    "iso8859_5": "ISO-8859-5",
}
MARGIN = 0.3  # Windows-1251 is kept unless another encoding reads this much more like Russian
RUSSIAN_ENOUGH = -4.5  # mean log frequency of the letters of any Russian text (about -3.2) is well above this
# Letter frequencies of Russian text, per cent.
FREQUENCY = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            *(10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81, 2.62, 2.01),
            *(1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04, 0.04),
        ),
        strict=True,
    )
)
TYPOGRAPHY = "«»–—№…“”„’"
RESAVE = (
    "open it in LibreOffice Calc or a text editor, choosing that encoding, and save it as CSV in UTF-8 "
    "(in Excel: Save As, «CSV UTF-8»)"
)


def decode(path: Path, data: bytes) -> str:
    """The file's text; ReadError when it is not text or not in an encoding the shelters' tools write."""
    if data.startswith(UTF32_BOMS):
        raise ReadError(path, f"the text is in UTF-32, an encoding followup does not read; {RESAVE}")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ReadError(
                    path,
                    "the Unicode text breaks off in the middle of a character: the file is cut short; export it again",
                ) from None
    sample = data[:SAMPLE]
    if _utf16_without_bom(sample):
        raise ReadError(
            path, f"the text is in UTF-16 without the mark (BOM) that says so, so it cannot be read safely; {RESAVE}"
        )
    # Zero bytes are left to the reader, which names the row a damaged text file holds them in.
    if _controls(sample) * 100 > len(sample):
        raise ReadError(path, "this is not a text file (binary content); export the form again as CSV")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _cyrillic_encoding(data[:SCORED])
    if guess == "cp1251":
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:  # the one byte Windows-1251 leaves undefined
            guess = None
    if guess is not None:
        raise ReadError(path, f"the text is in the {CYRILLIC[guess]} encoding, which followup does not read; {RESAVE}")
    raise ReadError(
        path,
        "the text is in an encoding followup does not recognise (neither UTF-8 nor Windows-1251, nor another "
        f"Russian encoding); {RESAVE}",
    )


def _controls(sample: bytes) -> int:
    return sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\r\n\x00")


def _utf16_without_bom(sample: bytes) -> bool:
    """Russian and ASCII text in UTF-16: every other byte is 0x04 (Cyrillic) or 0x00 (ASCII), the others not."""
    even, odd = sample[0 : len(sample) // 2 * 2 : 2], sample[1 : len(sample) // 2 * 2 : 2]
    if len(odd) < 8:
        return False
    return any(
        sum(b in (0, 4) for b in high) >= 0.9 * len(high) and low.count(0) <= 0.1 * len(low)
        for high, low in ((odd, even), (even, odd))
    )


def _cyrillic_encoding(sample: bytes) -> str | None:
    """The single-byte encoding in which the sample reads most like Russian (Windows-1251 within a margin of
    the best), or None when it reads like Russian in none of them."""
    scores = {encoding: _russianness(sample.decode(encoding, errors="replace")) for encoding in CYRILLIC}
    best = max(scores, key=lambda encoding: scores[encoding])
    if scores[best] < RUSSIAN_ENOUGH:
        return None
    return "cp1251" if scores["cp1251"] >= scores[best] - MARGIN else best


def _russianness(text: str) -> float:
    """Mean log frequency, in Russian text, of the text's non-ASCII characters (upper and lower case alike)."""
    chars = [ch.lower() for ch in text if ord(ch) >= 0x80]
    if not chars:
        return 0.0
    return sum(_log_frequency(ch) for ch in chars) / len(chars)


def _log_frequency(ch: str) -> float:
    if ch in FREQUENCY:
        return math.log(FREQUENCY[ch] / 100)
    return math.log(0.002 if ch in TYPOGRAPHY else 1e-5)
