"""Sanity checks for the bundled list of States Parties to the Rome Statute."""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[2] / "vetting" / "data" / "states_parties.json"

VALID_GROUPS = {
    "african",
    "asia_pacific",
    "eastern_european",
    "latin_american_caribbean",
    "western_european_other",
}

# 125 States Parties in 2025, less Hungary (withdrawal effective 2 June 2026).
EXPECTED_GROUP_TOTALS = {
    "african": 33,
    "asia_pacific": 19,
    "eastern_european": 19,
    "latin_american_caribbean": 28,
    "western_european_other": 25,
}
EXPECTED_COUNT = 124


def _load():
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _states():
    return _load()["states"]


def _sort_key(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_top_level_fields():
    data = _load()
    assert data["as_of"] == "2026-11-30"
    assert data["source"]
    assert "Hungary" in data["notes"]
    assert data["count"] == EXPECTED_COUNT
    assert data["group_totals"] == EXPECTED_GROUP_TOTALS


def test_codes_are_unique_alpha3():
    codes = [s["code"] for s in _states()]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes), codes
    assert len(codes) == len(set(codes))


def test_names_are_unique_and_present():
    states = _states()
    for field in ("name_en", "name_fr"):
        names = [s[field] for s in states]
        assert all(isinstance(n, str) and n.strip() for n in names)
        assert len(names) == len(set(names)), field


def test_every_group_is_valid():
    assert {s["regional_group"] for s in _states()} <= VALID_GROUPS


def test_group_totals():
    counts = Counter(s["regional_group"] for s in _states())
    assert dict(counts) == EXPECTED_GROUP_TOTALS


def test_total_matches_stated_count():
    data = _load()
    assert len(data["states"]) == data["count"] == EXPECTED_COUNT
    assert sum(EXPECTED_GROUP_TOTALS.values()) == EXPECTED_COUNT


def test_sorted_by_english_name():
    names = [s["name_en"] for s in _states()]
    assert names == sorted(names, key=_sort_key)


def test_withdrawn_states_absent_and_ukraine_present():
    codes = {s["code"] for s in _states()}
    assert "BDI" not in codes  # Burundi, withdrawal effective 2017
    assert "PHL" not in codes  # Philippines, withdrawal effective 2019
    assert "HUN" not in codes  # Hungary, withdrawal effective 2 June 2026
    assert "UKR" in codes  # Ukraine, 125th State Party from 1 January 2025
