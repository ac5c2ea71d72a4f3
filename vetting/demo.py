"""The demo election: a judicial election with a dozen candidacies spread over every stage.

Everything is built through the real operations (vetting.scenarios drives them), so the demo
shows what the rules produce, with its audit chain and its notices, and nothing a user could
not have done. The whole seed is one transaction: a failure leaves nothing half-seeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.channel import ContactKind
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    EvidenceKind,
    Gender,
    IntegrityOutcome,
    JudgeList,
    Level,
    MeritCategory,
    MisconductCategory,
    NominationBasis,
    Office,
    QuestionKind,
    RegionalGroup,
    RequirementDimension,
    TieKind,
    TriageOutcome,
)
from vetting.models import AdverseNotice, Assignment, Base, Candidacy, Criterion, Election, User
from vetting.models.base import utcnow
from vetting.operations import (
    accounts,
    channel,
    diligence,
    elections,
    nominations,
    panel,
    templates,
    ties,
)
from vetting.operations.panels import seat_member
from vetting.operations.questionnaires import amend_declaration, save_draft
from vetting.operations.reference import load_states_parties
from vetting.operations.staffing import set_gender
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    add_focal_point,
    candidate_of,
    criteria_to_score,
    declaration_input,
    questionnaire_answers,
    walk,
)

if TYPE_CHECKING:
    # Only for the annotation: the demo, like the operations, does not depend on Flask.
    from flask import Flask

    from vetting.operations.files import FileStore

DOMAIN = "demo.example.org"
START_URL = "http://127.0.0.1:5000/login"
ELECTION_TITLE = "Election of six judges of the International Criminal Court (demo)"

# The panel: four nationalities, two women and two men, none sharing a candidate's nationality.
STAFF: tuple[tuple[str, Role, str, str | None], ...] = (
    ("secretariat", Role.SECRETARIAT, "Hélène Dubois-Martin", None),
    ("secretariat2", Role.SECRETARIAT, "Rafael Quintero Salas", None),
    ("chair", Role.PANEL_CHAIR, "Ingrid Halvorsen", "NOR"),
    ("member1", Role.PANEL_MEMBER, "Kofi Asante-Darko", "GHA"),
    ("member2", Role.PANEL_MEMBER, "Valentina Ríos Mendoza", "CHL"),
    ("member3", Role.PANEL_MEMBER, "Tomasz Wielgosz", "POL"),
    # Not seated on the demo election: the panel page shows the Asia-Pacific Group missing
    # until the secretariat seats her.
    ("member4", Role.PANEL_MEMBER, "Aiko Morimoto", "JPN"),
    ("vetting", Role.VETTING_OFFICER, "Nadia Benali", None),
    ("admin", Role.ADMIN, "Arjun Perera", None),
)

FOCAL_POINT_STATES = ("NGA", "BRA", "NLD", "ZAF")

# Recorded for the panel's balance (the secretariat's panel page).
PANEL_GENDERS = {
    "chair": Gender.FEMALE,
    "member1": Gender.MALE,
    "member2": Gender.FEMALE,
    "member3": Gender.MALE,
    "member4": Gender.FEMALE,
}


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    state: str
    gender: Gender
    judge_list: JudgeList
    # What the seed does with the candidacy: see _place().
    plan: str
    # Candidates who can sign in at once with the demo password; the others have only
    # their invitation link (in the mail folder), which is how a real candidate starts.
    with_password: bool = False


CANDIDATES: tuple[DemoCandidate, ...] = (
    DemoCandidate("Adaeze Okonkwo-Bello", "NGA", Gender.FEMALE, JudgeList.A, "nominated"),
    DemoCandidate(
        "Mateo Alvarado Quispe", "PER", Gender.MALE, JudgeList.B, "questionnaire_draft", True
    ),
    DemoCandidate("Elena Marinescu", "ROU", Gender.FEMALE, JudgeList.A, "paper_scoring_partial"),
    DemoCandidate(
        "Jean-Baptiste Kaboré", "BFA", Gender.MALE, JudgeList.A, "paper_scoring_complaint"
    ),
    DemoCandidate("Farhana Chowdhury", "BGD", Gender.FEMALE, JudgeList.B, "interview"),
    DemoCandidate("Pieter van Aalst", "NLD", Gender.MALE, JudgeList.A, "deliberation"),
    DemoCandidate("Carlos Eduardo Menezes", "BRA", Gender.MALE, JudgeList.A, "reply_pending", True),
    DemoCandidate("Mariam Tsiklauri", "GEO", Gender.FEMALE, JudgeList.B, "reply_received"),
    DemoCandidate("Seo-yeon Park", "KOR", Gender.FEMALE, JudgeList.A, "finding_adopted", True),
    DemoCandidate("Thandiwe Mokoena", "ZAF", Gender.FEMALE, JudgeList.B, "published"),
    DemoCandidate("Liam O'Sullivan", "IRL", Gender.MALE, JudgeList.B, "closed"),
    DemoCandidate("Bolormaa Tserendorj", "MNG", Gender.FEMALE, JudgeList.A, "withdrawn"),
)


def seed_demo(app: Flask, reset: bool) -> str:
    """Seed the demo unless an election exists; with `reset`, empty every table first."""
    from vetting.extensions import db

    with db.sessionmaker() as session:
        if reset:
            _empty(session)
        elif session.scalar(sa.select(sa.func.count()).select_from(Election)):
            demo_there = session.scalar(
                sa.select(User.id).where(User.email == f"secretariat@{DOMAIN}")
            )
            message = "An election already exists: nothing seeded (use `vetting demo --reset`)."
            return f"{message}\n\n{_accounts_text(session)}" if demo_there else message
        _seed(session, base_url=app.config["BASE_URL"])
        _right_of_reply(session, _file_store(app))
        _attach_demo_cvs(session, _file_store(app))
        session.commit()
        return "Demo seeded.\n\n" + _accounts_text(session)


def _file_store(app: Flask) -> FileStore:
    from vetting.operations.files import FileStore
    from vetting.sealing import SEALER_KEY

    return FileStore(
        app.extensions[SEALER_KEY], app.config["FILES_DIR"], app.config["UPLOAD_MAX_BYTES"]
    )


def _demo_pdf(*lines: str) -> bytes:
    """A small, valid one-page PDF showing `lines` (Helvetica), for the demo's files."""
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    text = "BT /F1 11 Tf 60 780 Td 14 TL " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def _right_of_reply(session: Session, store: FileStore) -> None:
    """Mariam Tsiklauri's adverse notice (drafted and approved by the chair in the walk) is
    answered: the vetting officer shares a de-identified summary with her as an evidence item
    with a file, she replies with the judicial council's decision attached and says which item
    the reply answers, and the chair records that the panel read it."""
    from vetting.operations.files import Upload

    candidacy = session.scalars(
        sa.select(Candidacy).where(Candidacy.full_name == "Mariam Tsiklauri")
    ).one()
    officer = session.scalars(sa.select(User).where(User.role == Role.VETTING_OFFICER)).first()
    chair = session.scalars(sa.select(User).where(User.role == Role.PANEL_CHAIR)).first()
    assert officer is not None and chair is not None
    shared = diligence.record_evidence(
        session,
        officer,
        candidacy,
        diligence.EvidenceData(
            kind=EvidenceKind.COMPLAINT_SUMMARY,
            source="De-identified summary of a report through the confidential channel",
            obtained_on=date.today() - timedelta(days=20),
            summary="A former colleague reports conduct towards junior staff that may amount "
            "to abuse of authority (2016-2018). Source withheld.",
            level=Level.CANDIDATE_OWN,
            verified=True,
            relied_on=True,
        ),
        upload=Upload(
            "summary-of-concern.pdf",
            _demo_pdf(
                "Summary of a concern (de-identified)",
                "A former colleague reports conduct towards junior staff, 2016-2018.",
                "Fictional document for the demonstration.",
            ),
        ),
        store=store,
    )
    notice = session.scalars(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    ).one()
    diligence.submit_reply(
        session,
        candidate_of(session, candidacy),
        candidacy,
        notice,
        text="The matter was examined by the judicial council in 2020 and closed without "
        "any finding against me; I attach its decision.",
        answers=[shared.id],
        uploads=[
            Upload(
                "judicial-council-decision-2020.pdf",
                _demo_pdf(
                    "Judicial council: decision of 12 March 2020",
                    "The complaint is closed: no disciplinary breach is found.",
                    "Fictional document for the demonstration.",
                ),
            )
        ],
        store=store,
    )
    diligence.record_reply_read(session, chair, candidacy, notice)


def _attach_demo_cvs(session: Session, store: FileStore) -> None:
    """Each submitted questionnaire gets a one-page CV in answer to the (public) CV question, as
    if the candidate had attached it when submitting: the scenario walk submits without files."""
    from vetting.models import Answer, QuestionnaireResponse, TemplateQuestion, TemplateSection
    from vetting.operations.files import Upload

    rows = session.execute(
        sa.select(QuestionnaireResponse, Candidacy, TemplateQuestion.id)
        .join(Candidacy, Candidacy.id == QuestionnaireResponse.candidacy_id)
        .join(TemplateSection, TemplateSection.template_id == QuestionnaireResponse.template_id)
        .join(TemplateQuestion, TemplateQuestion.section_id == TemplateSection.id)
        .where(
            QuestionnaireResponse.submitted_at.is_not(None),
            TemplateQuestion.kind == QuestionKind.FILE,
            TemplateQuestion.text.startswith("Your curriculum vitae"),
        )
    ).all()
    for response, candidacy, question_id in rows:
        slug = "-".join(candidacy.full_name.lower().replace("'", "").split())
        pdf = _demo_pdf(
            f"Curriculum vitae: {candidacy.full_name}",
            "Judge of the highest court; twenty years of criminal trial practice.",
            "Fictional document for the demonstration.",
        )
        stored = store.store(
            session, Upload(f"cv-{slug}.pdf", pdf), candidate_of(session, candidacy)
        )
        session.add(
            Answer(
                response_id=response.id, question_id=question_id, file_id=stored.id, language="en"
            )
        )
    session.flush()


def _empty(session: Session) -> None:
    # Children before parents, so foreign keys hold at every step.
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())
    session.flush()
    audit.ensure_head(session)


def _seed(session: Session, *, base_url: str) -> None:
    load_states_parties(session)
    people = _make_people(session)
    # Focal points exist before the nominations, so they receive their State's notices.
    for code in FOCAL_POINT_STATES:
        add_focal_point(session, people, code, DOMAIN)
    today = date.today()
    election = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            title=ELECTION_TITLE,
            office=Office.JUDGE,
            seats=6,
            nomination_opens=today - timedelta(days=90),
            nomination_closes=today + timedelta(days=14),
            vote_date=today + timedelta(days=180),
        ),
    )
    # The secretariat seats the panel (chair and members 1-3); each nomination assigns them.
    for member in people.panel:
        seat_member(session, people.secretariat, election, member)
    _build_questionnaire(session, people, election)
    for spec in CANDIDATES:
        candidacy = nominations.register_nomination(
            session,
            people.secretariat,
            election,
            nominations.NominationData(
                full_name=spec.name,
                email=f"{spec.state.lower()}.candidate@{DOMAIN}",
                nationality_code=spec.state,
                nominating_state_code=spec.state,
                gender=spec.gender,
                judge_list=spec.judge_list,
                statement=f"{spec.name} is nominated through the national procedure for the "
                "highest judicial offices (article 36(4)(a)(i)), with a statement of "
                "qualifications in the necessary detail.",
                nomination_basis=NominationBasis.NATIONAL_JUDICIAL,
                national_procedure="A public call for applications, interviews by the national "
                "judicial council, and a recommendation to the government.",
            ),
            base_url=base_url,
            invitation_hours=24 * 14,
        )
        if spec.with_password:
            accounts.set_password(session, None, candidate_of(session, candidacy), DEFAULT_PASSWORD)
        _place(session, people, candidacy, spec.plan)
    _short_pool(session, people, election)
    _declare_ties(session, people)
    _report_through_the_channel(session, people, election, base_url=base_url)
    _completed_election_with_report(session, people, base_url=base_url)


# The Latin American and Caribbean Group minimum the secretariat sets for the demo election
# (judges of that group leave office): the pool, with two such candidates, misses it.
GRULAC_MINIMUM = 3
EXTENSION_REASON = (
    "The pool does not meet the minimum voting requirement of three candidates from the Latin "
    "American and Caribbean Group: only two are nominated."
)


def _short_pool(session: Session, people: People, election: Election) -> None:
    """A minimum the nominated pool cannot meet (shown as not met on the secretariat's and the
    public election pages), and the window extended once for it, with its reason."""
    elections.set_voting_requirement(
        session,
        people.secretariat,
        election,
        dimension=RequirementDimension.REGIONAL_GROUP,
        value=RegionalGroup.LATIN_AMERICAN_CARIBBEAN.value,
        minimum=GRULAC_MINIMUM,
    )
    elections.extend_nomination_window(
        session, people.secretariat, election, reason=EXTENSION_REASON
    )


def _report_through_the_channel(
    session: Session, people: People, election: Election, *, base_url: str
) -> None:
    """The channel is open; a former clerk reports on Jean-Baptiste Kaboré through the public
    page's operation, leaving an email address (the acknowledgement is in instance/mail/), and
    the vetting officer triages it as a credible concern. The receipt code is not kept: the
    reporter had it once."""
    today = utcnow().date()
    base = base_url.rstrip("/")
    channel.set_channel_window(
        session,
        people.secretariat,
        election,
        opens=today - timedelta(days=30),
        closes=today + timedelta(days=30),
        today=today,
        report_link=f"{base}/elections/{election.id}/report",
    )
    reported = session.scalars(
        sa.select(Candidacy).where(
            Candidacy.election_id == election.id, Candidacy.full_name == "Jean-Baptiste Kaboré"
        )
    ).one()
    sealer = channel.sealer_of(session)
    filed = channel.submit_report(
        session,
        sealer,
        election,
        reported,
        channel.ReportData(
            category=MisconductCategory.ABUSE_OF_AUTHORITY,
            text="I was a clerk of the chamber the candidate presided over in 2017-2019. Staff "
            "who raised concerns about how cases were allocated were reassigned within weeks, "
            "two of them to posts far below their grade. (Fictional report for the "
            "demonstration.)",
            contact_kind=ContactKind.EMAIL,
            contact=f"former.clerk@{DOMAIN}",
        ),
        settings=channel.ChannelSettings(
            files_dir="", max_bytes=0, receipt_link=f"{base}/channel/receipt"
        ),
        today=today,
    )
    channel.triage_report(
        session,
        sealer,
        people.vetting_officer,
        filed.complaint,
        outcome=TriageOutcome.CREDIBLE_CONCERN,
        reason="First-hand, dated and specific; the reassignments can be checked with the "
        "court's registry. To be put to the candidate, de-identified, if confirmed.",
    )


def _declare_ties(session: Session, people: People) -> None:
    """Kofi Asante-Darko advised Burkina Faso's Ministry of Justice until two years ago: his
    declaration page for Jean-Baptiste Kaboré (Burkina Faso) flags a professional conflict
    with that tie. Before that he served at the ICC, which whoever decides on his conflicts
    sees."""
    today = date.today()
    member = people.members[0]
    ties.declare_tie(
        session,
        member,
        ties.TieData(
            kind=TieKind.STATE_EMPLOYMENT,
            state_code="BFA",
            description="Legal adviser to the Ministry of Justice (technical cooperation "
            "programme on the criminal procedure code).",
            starts_on=today.replace(year=today.year - 4, day=1),
            ends_on=today.replace(year=today.year - 2, day=1),
        ),
    )
    ties.declare_tie(
        session,
        member,
        ties.TieData(
            kind=TieKind.ICC_ASP_EMPLOYMENT,
            description="Associate legal officer, Pre-Trial Division of the ICC.",
            starts_on=today.replace(year=today.year - 9, day=1),
            ends_on=today.replace(year=today.year - 4, day=1) - timedelta(days=1),
        ),
    )


def _make_people(session: Session) -> People:
    made = {
        key: accounts.create_user(
            session,
            None,
            email=f"{key}@{DOMAIN}",
            full_name=name,
            role=role,
            password=DEFAULT_PASSWORD,
            state_code=state,
        )
        for key, role, name, state in STAFF
    }
    for key, gender in PANEL_GENDERS.items():
        set_gender(session, None, made[key], gender)
    return People(
        secretariat=made["secretariat"],
        secretariat_second=made["secretariat2"],
        chair=made["chair"],
        members=[made["member1"], made["member2"], made["member3"]],
        vetting_officer=made["vetting"],
        admin=made["admin"],
    )


def _assignments(session: Session, candidacy: Candidacy) -> list[Assignment]:
    return list(
        session.scalars(
            sa.select(Assignment)
            .where(Assignment.candidacy_id == candidacy.id)
            .order_by(Assignment.id)
        )
    )


def _score(session: Session, reviewer: User, candidacy: Candidacy, assignment: Assignment) -> None:
    # The criteria of the phases open now: on the papers at this stage.
    criteria = criteria_to_score(session, candidacy, assignment)
    panel.save_scores(
        session,
        reviewer,
        candidacy,
        assignment,
        [
            panel.ScoreInput(c.id, 3 if i % 2 else 4, f"{c.code}: assessed on the written dossier.")
            for i, c in enumerate(criteria)
        ],
    )


def _revise_after_exposure(session: Session, people: People, candidacy: Candidacy) -> None:
    """A member reads the others' locked scores, then lowers one of theirs with a reason: the
    deliberation page flags the change and keeps the earlier version."""
    member = people.members[0]
    assignment = session.scalars(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    ).one()
    panel.note_first_exposure(session, member, assignment)
    criterion = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == candidacy.election_id)
        .order_by(Criterion.position, Criterion.id)
    ).first()
    assert criterion is not None
    panel.revise_score(
        session,
        member,
        candidacy,
        assignment,
        panel.ScoreInput(
            criterion.id,
            2,
            f"{criterion.code}: the trial record is narrower than the statement suggests.",
        ),
        reason="The chair's reading of the appellate judgments showed I had overrated them.",
    )


def _record_evidence(session: Session, people: People, candidacy: Candidacy) -> None:
    diligence.record_evidence(
        session,
        people.vetting_officer,
        candidacy,
        diligence.EvidenceData(
            kind=EvidenceKind.FORMER_EMPLOYER_CHECK,
            source="Registry of the national Court of Cassation",
            obtained_on=date.today() - timedelta(days=6),
            summary="Confirms twelve years of service as a judge and no disciplinary record.",
            level=Level.PANEL,
            verified=True,
            relied_on=True,
        ),
    )


def _build_questionnaire(session: Session, people: People, election: Election) -> None:
    """The secretariat adds a section with every other kind of question to the default
    questionnaire, before any candidate opens it (so it stays version 1)."""
    template = templates.current_template(session, election.id, people.secretariat)
    section = templates.add_section(
        session, people.secretariat, election, title="Languages and record"
    )
    assert template.frozen_at is None
    for data in (
        templates.QuestionData(
            kind=QuestionKind.SINGLE_CHOICE,
            text="In which working language of the Court are you most fluent?",
            choices=("English", "French"),
            visibility=Level.PUBLIC,
        ),
        templates.QuestionData(
            kind=QuestionKind.MULTIPLE_CHOICE,
            text="Which fields of law have you practised?",
            choices=("Criminal law", "International humanitarian law", "Human rights law"),
            visibility=Level.PUBLIC,
        ),
        templates.QuestionData(
            kind=QuestionKind.DATE,
            text="When were you first appointed to judicial office?",
        ),
        templates.QuestionData(
            kind=QuestionKind.SHORT_TEXT,
            text="Your current position",
            visibility=Level.PUBLIC,
        ),
        templates.QuestionData(
            kind=QuestionKind.FILE,
            text="Your curriculum vitae (optional)",
            required=False,
            visibility=Level.PUBLIC,
        ),
    ):
        templates.add_question(session, people.secretariat, election, section.id, data)


def _place(session: Session, people: People, candidacy: Candidacy, plan: str) -> None:
    """Carry one candidacy to where the demo needs it."""
    concerns = IntegrityOutcome.CONCERNS_NOTED
    if plan == "nominated":
        return
    if plan == "questionnaire_draft":
        walk(session, people, candidacy, Stage.QUESTIONNAIRE)
        answers = questionnaire_answers(session, candidacy)
        # A draft: the first answer written, the rest not yet, nothing declared nor signed.
        first = next(iter(answers))
        save_draft(session, candidate_of(session, candidacy), candidacy, {first: answers[first]})
    elif plan == "paper_scoring_partial":
        walk(session, people, candidacy, Stage.PAPER_SCORING)
        _record_evidence(session, people, candidacy)
        chair, first, second, third = _assignments(session, candidacy)
        # Two reviewers locked, one still scoring, one waiting for the chair on a conflict.
        for assignment in (chair, first):
            reviewer = session.get(User, assignment.reviewer_id)
            assert reviewer is not None
            panel.declare_conflict(
                session, reviewer, candidacy, assignment, has_conflict=False, details=""
            )
            _score(session, reviewer, candidacy, assignment)
            panel.lock_scores(session, reviewer, candidacy, assignment)
        reviewer = people.members[1]
        panel.declare_conflict(session, reviewer, candidacy, second, has_conflict=False, details="")
        _score(session, reviewer, candidacy, second)
        panel.declare_conflict(
            session,
            people.members[2],
            candidacy,
            third,
            has_conflict=True,
            kind=ConflictKind.PROFESSIONAL,
            details="The candidate and I sat together on a regional training board until 2022.",
        )
        assert third.conflict_status is ConflictStatus.DECLARED
    elif plan == "paper_scoring_complaint":
        # The report itself comes through the confidential channel: _report_through_the_channel.
        walk(session, people, candidacy, Stage.PAPER_SCORING)
    elif plan == "interview":
        walk(session, people, candidacy, Stage.INTERVIEW)
    elif plan == "deliberation":
        walk(session, people, candidacy, Stage.DELIBERATION)
        _revise_after_exposure(session, people, candidacy)
    elif plan == "reply_pending":
        walk(session, people, candidacy, Stage.REPLY_PENDING, outcome=concerns)
    elif plan == "reply_received":
        walk(session, people, candidacy, Stage.REPLY_PENDING, outcome=concerns)
        notice = session.scalar(
            sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
        )
        assert notice is not None
        # The reply, with the council's decision attached, is sent in _right_of_reply.
    elif plan == "finding_adopted":
        walk(
            session,
            people,
            candidacy,
            Stage.FINDING_ADOPTED,
            merit=MeritCategory.HIGHLY_QUALIFIED,
        )
        # A fact that came to light after submission: the continuing duty to disclose.
        amend_declaration(
            session,
            candidate_of(session, candidacy),
            candidacy,
            declaration_input(
                candidacy, pending="A complaint to the national judicial council, filed in May."
            ),
            reason="A complaint was filed after I submitted the questionnaire.",
        )
    elif plan == "published":
        walk(session, people, candidacy, Stage.PUBLISHED, merit=MeritCategory.HIGHLY_QUALIFIED)
    elif plan == "closed":
        walk(session, people, candidacy, Stage.CLOSED)
    elif plan == "withdrawn":
        walk(session, people, candidacy, Stage.QUESTIONNAIRE)
        nominations.withdraw_candidacy(
            session,
            people.secretariat,
            candidacy,
            reason="Withdrawn at the request of the nominating State (note verbale of "
            f"{(date.today() - timedelta(days=2)).isoformat()}).",
        )
    else:
        raise ValueError(f"unknown demo plan {plan!r}")


def _accounts_text(session: Session) -> str:
    rows: list[tuple[str, str, str]] = []
    for key, role, name, state in STAFF:
        rows.append((f"{key}@{DOMAIN}", role.value, name + (f" ({state})" if state else "")))
    focal = session.scalars(
        sa.select(User).where(User.role == Role.FOCAL_POINT).order_by(User.email)
    )
    for user in focal:
        rows.append((user.email, Role.FOCAL_POINT.value, f"State {user.state_code}"))
    candidacies = session.execute(
        sa.select(Candidacy, User)
        .join(User, User.id == Candidacy.candidate_user_id)
        .where(User.password_hash.is_not(None))
        .order_by(Candidacy.id)
    )
    for candidacy, user in candidacies:
        rows.append(
            (
                user.email,
                Role.CANDIDATE.value,
                f"{candidacy.full_name}, {candidacy.stage.value}",
            )
        )
    width = max(len(r[0]) for r in rows)
    lines = [f"  {email:<{width}}  {role:<16} {note}" for email, role, note in rows]
    return "\n".join(
        [
            f"Demo accounts (every one uses the password: {DEFAULT_PASSWORD}):",
            *lines,
            "",
            "The other candidates have only their invitation link: find it in the mail folder "
            "(instance/mail/ by default); the admin's Outgoing mail page hides its token.",
            f"Start at {START_URL}",
        ]
    )


# The second, completed election: every standing candidacy has its published summary, one
# candidacy withdrew, and the published election report is public now (issue 5, H2).
REPORT_ELECTION_TITLE = "Election of the Registrar (demo, vetting completed)"
REPORT_CANDIDATES: tuple[tuple[str, str, Gender, MeritCategory], ...] = (
    ("Kateřina Dvořáková", "CZE", Gender.FEMALE, MeritCategory.HIGHLY_QUALIFIED),
    ("Mamadou Ndiaye", "SEN", Gender.MALE, MeritCategory.QUALIFIED),
    ("Ximena Ibarra Núñez", "MEX", Gender.FEMALE, MeritCategory.QUALIFIED),
)
REPORT_WITHDRAWN = ("Litia Vakaloloma", "FJI", Gender.FEMALE)
REPORT_METHOD = (
    "The panel assessed each candidacy against the requirements of the office and the "
    "published rubric: first on the papers (the statement of qualifications, the questionnaire, "
    "references and checks with former employers), each member scoring every criterion from 1 "
    "to 4 with a rationale and locking the scores before seeing those of others; then in an "
    "interview. Members declared their conflicts of interest before reading any dossier. The "
    "vetting officers examined the checks and any report received through the confidential "
    "channel. Each finding was sent to the candidate and the nominating State five working "
    "days before its publication."
)
REPORT_OBSERVATIONS = (
    "Three candidacies were assessed; one candidate withdrew during the assessment on the "
    "papers. All candidates answered the questionnaire in full and attended their interview. "
    "The panel notes that the national procedures described by the nominating States varied "
    "widely in their openness, and encourages States to publish their calls for candidates."
)


def _completed_election_with_report(session: Session, people: People, *, base_url: str) -> None:
    from vetting.models import Finding, Interview, Notice
    from vetting.notices import NoticeKind
    from vetting.operations import reports

    today = date.today()
    election = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            title=REPORT_ELECTION_TITLE,
            office=Office.REGISTRAR,
            seats=1,
            nomination_opens=today - timedelta(days=150),
            nomination_closes=today - timedelta(days=90),
            vote_date=today + timedelta(days=45),
        ),
    )
    for member in people.panel:
        seat_member(session, people.secretariat, election, member)

    def candidacy(name: str, state: str, gender: Gender) -> Candidacy:
        # Registered as of a day inside the (past) nomination window: the demo's compression.
        return nominations.register_nomination(
            session,
            people.secretariat,
            election,
            nominations.NominationData(
                full_name=name,
                email=f"registrar.{state.lower()}@{DOMAIN}",
                nationality_code=state,
                nominating_state_code=state,
                gender=gender,
                judge_list=JudgeList.NONE,
                statement=f"{name} is nominated for the office of Registrar, with a statement of "
                "qualifications in the necessary detail.",
                nomination_basis=NominationBasis.OTHER,
                national_procedure="A public call for applications and interviews by a "
                "national selection board.",
            ),
            base_url=base_url,
            invitation_hours=24 * 14,
            today=election.nomination_opens + timedelta(days=20),
        )

    for name, state, gender, merit in REPORT_CANDIDATES:
        standing = walk(
            session, people, candidacy(name, state, gender), Stage.FINDING_ADOPTED, merit=merit
        )
        # The demo compresses months into one seed. A summary is public only five working days
        # after the finding reached the candidate and the State, and the interview came before
        # the finding: so this demo alone dates them back (the interview three weeks, the
        # finding and its notices ten days), for the report to be public when the demo opens.
        back = utcnow() - timedelta(days=10)
        for notice in session.scalars(
            sa.select(Notice).where(
                Notice.candidacy_id == standing.id,
                Notice.kind == NoticeKind.FINDING_ADOPTED.value,
            )
        ):
            notice.created_at = back
        for finding in session.scalars(
            sa.select(Finding).where(Finding.candidacy_id == standing.id)
        ):
            finding.adopted_at = back
        for interview in session.scalars(
            sa.select(Interview).where(Interview.candidacy_id == standing.id)
        ):
            interview.scheduled_at = back - timedelta(days=11)
        session.flush()
        walk(session, people, standing, Stage.PUBLISHED, merit=merit)
    name, state, gender = REPORT_WITHDRAWN
    withdrawn = walk(session, people, candidacy(name, state, gender), Stage.PAPER_SCORING)
    nominations.withdraw_candidacy(
        session,
        people.secretariat,
        withdrawn,
        reason="The candidate accepted a judicial appointment in her own country.",
    )
    reports.draft_report(
        session,
        people.secretariat,
        election,
        reports.ReportData(method=REPORT_METHOD, observations=REPORT_OBSERVATIONS),
    )
    reports.approve_report(session, people.secretariat_second, election, base_url=base_url)
