from __future__ import annotations

import sqlalchemy as sa

from tests.web.support import login
from vetting.models import Notice
from vetting.scenarios import make_election, make_people, nominate


def test_invitation_token_is_hidden_when_staff_read_the_outgoing_mail(client, session):
    people = make_people(session)
    election = make_election(session, people)
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    notice = session.scalar(sa.select(Notice).where(Notice.kind == "invitation"))
    token = notice.body.split("/invitation/")[1].split()[0]
    for user in (people.admin, people.secretariat):
        login(client, user)
        page = client.get(f"/admin/mail/{notice.id}")
        assert page.status_code == 200
        assert token not in page.get_data(as_text=True)
        assert "/invitation/[hidden]" in page.get_data(as_text=True)
        client.post("/logout")
