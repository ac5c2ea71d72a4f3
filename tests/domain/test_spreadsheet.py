"""Spreadsheet-safe cells and CSV files (security checklist IN-6)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from vetting.domain.spreadsheet import BOM, cell_text, csv_text, escape_cell, is_formula_like

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\0=1+1",
    "\uff1dSUM(A1)",
]
HARMLESS = ["Amina Diallo", "Zoë Ødegård", "1", "a=b", " =1", "'quoted", "Łukasz Żółć", ""]


@pytest.mark.parametrize("text", DANGEROUS)
def test_cell_is_prefixed_with_a_quote_when_it_starts_like_a_formula(text):
    assert is_formula_like(text)
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_cell_is_unchanged_when_it_cannot_start_a_formula(text):
    assert not is_formula_like(text)
    assert escape_cell(text) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (date(2026, 3, 1), "2026-03-01"),
        (datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "2026-03-01T09:30:00+00:00"),
        (["Criminal law", "Human rights"], "Criminal law; Human rights"),
        ([], ""),
    ],
)
def test_value_becomes_the_expected_text_when_written_to_a_cell(value, text):
    assert cell_text(value) == text


def _read(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))


def test_every_cell_of_the_file_is_escaped_when_rows_hold_formulas():
    rows = [{"name": text, "seats": -1} for text in DANGEROUS]
    lines = _read(csv_text(["name", "seats"], rows))
    assert lines[0] == ["name", "seats"]
    assert [line[0] for line in lines[1:]] == ["'" + text for text in DANGEROUS]
    assert {line[1] for line in lines[1:]} == {"'-1"}


def test_file_starts_with_a_bom_and_ends_lines_with_crlf_when_written():
    text = csv_text(["name", "note"], [{"name": "Zoë", "note": 'a "quoted", multi\nline'}])
    assert text.startswith(BOM + "name,note\r\n")
    assert _read(text)[1] == ["Zoë", 'a "quoted", multi\nline']


def test_missing_field_is_an_empty_cell_when_a_row_lacks_it():
    assert _read(csv_text(["a", "b"], [{"a": "x"}]))[1] == ["x", ""]


def test_row_is_refused_when_it_holds_a_field_outside_the_columns():
    with pytest.raises(ValueError, match="secret"):
        csv_text(["name"], [{"name": "x", "secret": "y"}])
