"""Cells that are safe to open in a spreadsheet, and the CSV files made of them.

A CSV cell that begins with `=`, `+`, `-` or `@` is read by Excel, LibreOffice and Google Sheets
as a formula ("CSV injection": `=HYPERLINK(...)` in a candidate's name would become a live link,
and worse). A tab, a carriage return or a NUL at the start can hide such a character from a
reviewer's eye or be stripped by the importer, leaving the formula. Following OWASP's advice, every
such cell is prefixed with a single quote, which spreadsheets take as "text, not a formula" and do
not show. The full-width forms of the four characters are treated the same, since some
spreadsheets normalise them. The quote changes what a program reading the CSV sees, which is the
accepted price: the JSON files carry the exact values.

The files are UTF-8 with a byte order mark: without it Excel reads a CSV as the machine's legacy
code page and garbles accented and non-Latin names. Python's `csv` module, `pandas.read_csv(...,
encoding="utf-8-sig")` and LibreOffice read the mark as such. Lines end in CRLF (RFC 4180); cells
are quoted when they hold a comma, a quote or a line break.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

FORMULA_STARTS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"
BOM = "\ufeff"
# Several values in one cell (the choices of a multiple-choice answer) are joined with this.
LIST_SEPARATOR = "; "

Cell = str | int | float | bool | date | datetime | Sequence[str] | None


def is_formula_like(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_STARTS


def escape_cell(text: str) -> str:
    """The text as a spreadsheet will show it and never evaluate it."""
    return QUOTE + text if is_formula_like(text) else text


def cell_text(value: Cell) -> str:
    """One value as the text of a cell (before escaping): empty for None, true/false, ISO 8601
    for dates and times, a list joined with LIST_SEPARATOR."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return LIST_SEPARATOR.join(str(item) for item in value)


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> str:
    """A whole CSV file: the byte order mark, a header of `columns`, then one line per row,
    every cell (the header's too) escaped. A row's keys outside `columns` are refused, so a
    field cannot be dropped silently."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([escape_cell(name) for name in columns])
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"fields not among the columns: {sorted(unknown)}")
        writer.writerow([escape_cell(cell_text(row.get(name))) for name in columns])
    return buffer.getvalue()
