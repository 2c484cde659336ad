"""SPSS data files (.sav, .zsav) via pyreadstat: answers as their value labels, columns by variable label.

A coded answer arrives as the label SPSS shows for it ("1" labelled "Да" arrives as "Да"); a value without a
label arrives as the number. A variable's label is its column name when it has one, else its name. Dates
arrive in ISO form. Case 1 is row 2, as if the data were exported to a spreadsheet under a header row.
"""

from __future__ import annotations

from pathlib import Path

from followup.readers.table import RawTable, ReadError, build_table, cell_text


def read_spss(path: Path) -> RawTable:
    """The cases of an SPSS data file, one row each."""
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(path, apply_value_formats=True, formats_as_category=False)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, UnicodeDecodeError) as exc:
        raise ReadError(
            path,
            f"this SPSS file cannot be read ({type(exc).__name__}); open it in SPSS or PSPP and save it again as .sav",
        ) from None
    labels = meta.column_names_to_labels
    header = [(labels.get(name) or "").strip() or name for name in frame.columns]
    names: dict[str, str] = {}
    for name, title in zip(frame.columns, header, strict=True):
        if title in names:
            raise ReadError(
                path,
                f"the variables {names[title]} and {name} have the same label '{title[:80]}'; give them different "
                "labels in SPSS (Variable View, column Label) and save the file again",
            )
        names[title] = name
    records = [[cell_text(value) for value in row] for row in frame.itertuples(index=False, name=None)]
    return build_table(path, None, header, records, list(range(2, len(records) + 2)))
