"""English and French: the French catalogue is complete, used for pages and notices, and sound
(placeholders kept, each message once, every plural form)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from vetting.notices import NoticeKind
from vetting.notices.rendering import render

CATALOGUE = Path(__file__).resolve().parents[1] / "vetting/translations/fr/LC_MESSAGES/messages.po"
NOTICE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates/notices"


def test_public_page_is_in_french_when_french_is_chosen(client):
    page = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Élections" in page
    assert "Se connecter" in page


def test_language_choice_sticks_when_the_next_page_is_opened(client):
    client.get("/?lang=fr")
    assert "Se connecter" in client.get("/login").get_data(as_text=True)


def test_browser_language_is_honoured_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "fr-CH, fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in page


def test_every_notice_is_translated_when_sent_in_french():
    context = {
        "name": "Amina",
        "candidate": "Amina Diallo",
        "link": "http://x/invitation/t",
        "hours": 72,
        "election": "E",
        "opens": "2026-12-01",
        "closes": "2026-12-31",
        "state": "Sénégal",
        "passed": True,
        "reason": "R",
        "days": 10,
        "notice_id": 1,
        "attempts": 5,
        "when": "2026-12-14 09:00 UTC",
        "video": True,
        "purpose": "P",
        "criteria": ["M1 Legal expertise"],
        "due_on": "2026-12-31",
        "overdue": False,
        "version": 2,
        "previous": "2026-12-17",
        "number": 1,
        "gate": "G3",
    }
    for kind in NoticeKind:
        english = render(kind, "en", context)
        french = render(kind, "fr", context)
        assert french[0] != english[0], f"{kind.value}: subject not translated"
        assert french[1] != english[1], f"{kind.value}: body not translated"
    assert {p.name for p in NOTICE_TEMPLATES.iterdir()} == {k.value for k in NoticeKind}


def test_french_catalogue_keeps_every_placeholder_when_translated():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    for message in catalogue:
        if message.id and message.string:
            for placeholder in ("%(name)s", "%(candidate)s", "%(days)s", "%(id)s", "%(seats)s"):
                assert (placeholder in message.id) == (placeholder in message.string), message.id


def test_french_catalogue_holds_each_message_once_and_every_plural_form_when_merged():
    # Babel keeps the last of two entries with one msgid, so a duplicate silently drops a
    # translation; and an empty plural form shows English for those numbers.
    import re
    from collections import Counter

    text = CATALOGUE.read_text(encoding="utf-8")
    ids = Counter(
        (m[1] or "") + "\x04" + m[2]
        for m in re.finditer(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"$', text, re.MULTILINE)
        if m[2]
    )
    assert [key for key, count in ids.items() if count > 1] == []
    assert not re.search(r'^msgstr\[\d\] ""$', text, re.MULTILINE)


def test_every_message_of_the_application_has_a_french_translation_when_catalogued():
    """English and French are the Court's working languages: every page, staff ones included,
    every form message and every notice reads in French. A new message needs its translation."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = CATALOGUE.parents[4]
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found, missing = 0, []
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords
    ):
        if filename.startswith((".venv", "tests")):
            continue
        found += 1
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not all(s.strip() for s in strings):
            missing.append(f"{filename}: {msgid}")
    assert found > 1000, "the extraction found the application's messages"
    assert missing == []
