"""The public pages in French: what a reader sees with ?lang=fr, and a catalogue that has a real
French translation for every message the public templates use."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender
from vetting.operations.questionnaires import submit_questionnaire
from vetting.scenarios import (
    candidate_of,
    declaration_input,
    make_election,
    make_people,
    nominate,
    questionnaire_answers,
    walk,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "vetting/translations/fr/LC_MESSAGES/messages.po"
PUBLIC_TEMPLATES = sorted((ROOT / "templates/public").glob("*.html"))


def _msgids(template: Path) -> set[str]:
    found = set()
    for _line, message, _comments, _context in extract_from_file(
        "jinja2.ext:babel_extract", str(template)
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_public_template_message_has_a_french_translation_when_catalogued():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for template in PUBLIC_TEMPLATES:
        for msgid in sorted(_msgids(template)):
            message = catalogue.get(msgid)
            strings = message.string if message is not None else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if not all(s.strip() for s in strings):
                missing.append(f"{template.name}: {msgid}")
    assert len(PUBLIC_TEMPLATES) >= 4 and _msgids(ROOT / "templates/public/election.html")
    assert missing == []


def test_public_pages_read_in_french_when_french_is_chosen(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    nominate(session, people, election, name="Kamau Otieno", state="KEN", gender=Gender.MALE)
    nominate(session, people, election, name="Alex Sato", state="JPN", gender=Gender.OTHER)
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    submit_questionnaire(
        session,
        candidate_of(session, candidacy),
        candidacy,
        questionnaire_answers(session, candidacy, "en"),
        declaration=declaration_input(candidacy),
    )
    session.commit()

    index = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in index
    for words in ("Élections", "Candidats", "Ouvertes jusqu’au", "Pas encore publié", "Juge"):
        assert words in index, words

    page = client.get(f"/elections/{election.id}?lang=fr").get_data(as_text=True)
    for words in (
        "Candidats présentés à cette élection",
        "Sénégal",
        "Équilibre des candidatures au regard des conditions minimales de vote",
        "Groupe des États d’Afrique",
        "En lice",
        "moins de 3",
        "non affiché",
        "Tous les candidats",
        "Toutes les élections",
    ):
        assert words in page, words
    for english in (
        "Candidates nominated",
        "Balance of the candidates",
        "fewer than 3",
        "Standing",
    ):
        assert english not in page, english

    profile = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert "Réponses au questionnaire" in profile and "Exposé de la candidature" in profile
    # Answers given in English are marked as such on the French page, each of them.
    marks = profile.count("Langue d’origine : Anglais.")
    assert marks >= 2 and "Réponse donnée en anglais" not in profile
    assert "Curriculum vitae et documents" in profile


def test_answer_language_reads_as_original_only_when_not_the_page_language(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    submit_questionnaire(
        session,
        candidate_of(session, candidacy),
        candidacy,
        questionnaire_answers(session, candidacy, "fr", Why_do_you="Servir la justice."),
        declaration=declaration_input(candidacy),
    )
    session.commit()
    french = client.get(f"/candidates/{candidacy.public_id}?lang=fr").get_data(as_text=True)
    assert "Servir la justice." in french and "Langue d’origine : Français." not in french
    assert "Réponse donnée en Français." in french
    english = client.get(f"/candidates/{candidacy.public_id}?lang=en").get_data(as_text=True)
    assert "Original language: French." in english and "Answered in French." not in english
