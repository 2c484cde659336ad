"""Readers: one module per export format, each returning plain tables of strings with provenance.

Every reader returns `RawTable`s: the header as it appears in the file and the rows as text, each with its
row number in the file (the header is row 1, as a spreadsheet shows it), so every later message can name
the file, row and column. The format is chosen by the file's extension; its first bytes are checked against
it, so that a renamed file is refused with advice instead of being read as garbage.
"""

from __future__ import annotations

from pathlib import Path

from followup.readers.table import RawTable, ReadError

SUPPORTED = {
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",  # Excel's "Unicode text" (UTF-16, tab-separated) is saved as .txt
    ".xlsx": "xlsx",
    ".json": "json",
    ".sav": "spss",
    ".zsav": "spss",
}
READ = (
    "followup reads CSV or tab-separated text (.csv, .tsv, .txt), Excel workbooks (.xlsx), KoboToolbox JSON "
    "(.json) and SPSS data files (.sav, .zsav)"
)
HINTS = {
    ".xls": "this is the old Excel 97–2003 format; open it in Excel and save it as .xlsx (Excel Workbook)",
    ".ods": "open it in LibreOffice and save it as .xlsx (Excel 2007–365)",
    ".zip": "unpack the archive and put the exports themselves in the inbox",
    ".pdf": "a document or scan holds no data to read; export the answers from the form service instead",
    ".docx": "a document holds no data to read; export the answers from the form service instead",
}
OLE = b"\xd0\xcf\x11\xe0"  # a compound file: Excel 97–2003, Word 97–2003, or a workbook encrypted with a password
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted workbook keeps its contents in
MAGIC = {
    b"PK\x03\x04": "an Excel workbook or a ZIP archive",
    OLE: "an old Excel 97–2003 (.xls) or Word file, or a password-protected workbook",
    b"%PDF": "a PDF document",
    b"$FL2": "an SPSS data file",
    b"$FL3": "an SPSS data file",
}


def read_export(path: Path) -> list[RawTable]:
    """Every table in one export (one per sheet with a header; a CSV or JSON file has one).

    Raises ReadError saying what is wrong with the file and what to do, never quoting its contents.
    """
    suffix = path.suffix.lower()
    kind = SUPPORTED.get(suffix)
    if kind is None:
        hint = HINTS.get(suffix, "export the answers in one of these formats")
        raise ReadError(path, f"files of type '{suffix or '(none)'}' are not read: {hint}. {READ}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(
            path, f"the file cannot be opened ({type(exc).__name__}); close it in other programs and check access"
        ) from None
    if not data.strip():
        raise ReadError(path, "the file is empty; export the form again")
    found = next((what for magic, what in MAGIC.items() if data.startswith(magic)), None)
    if data.startswith(OLE) and ENCRYPTED in data:
        raise ReadError(
            path,
            "this workbook is protected with a password (encrypted), so it cannot be read; open it in Excel, "
            "remove the password (File › Info › Protect Workbook › Encrypt with Password: clear the password) "
            "and save it again as .xlsx",
        )
    if kind == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise ReadError(path, f"{_not_xlsx(data, found)} open it in Excel and save it as .xlsx (Excel Workbook)")
        from followup.readers.xlsx_export import read_xlsx_export

        return read_xlsx_export(path)
    if kind == "spss":
        if not data.startswith(b"$FL"):
            raise ReadError(path, "this is not an SPSS data file; save it again from SPSS or PSPP as .sav")
        from followup.readers.spss import read_spss

        return [read_spss(path)]
    if found is not None:
        raise ReadError(path, f"this is {found}, although its name ends in '{suffix}'; give it its proper extension")
    if kind == "json":
        from followup.readers.kobo_json import read_kobo_json

        return [read_kobo_json(path, data)]
    from followup.readers.csv_export import read_csv_export

    return [read_csv_export(path, data)]


def _not_xlsx(data: bytes, found: str | None) -> str:
    """What the file is instead: the start of a sentence that ends in how to make it an .xlsx."""
    if found is not None:
        return f"this is {found}, not an .xlsx workbook;"
    if b"\x00" in data[:4096]:
        return "this is not an .xlsx workbook but binary content of another kind;"
    return "this is a text (CSV) file renamed to .xlsx; rename it to .csv, or"


__all__ = ["SUPPORTED", "RawTable", "ReadError", "read_export"]
