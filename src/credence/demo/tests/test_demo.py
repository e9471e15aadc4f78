"""The demo's people: enough of each role that every step can be played through, among them
the two different examiners a portfolio needs (decision 0011) and two proctors."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from credence.accounts.models import Role
from credence.demo.data import DOMAIN, demo_populate
from credence.exams.models import ExamSession
from credence.portfolios.services import examiners_assign, submission_create
from credence.portfolios.tests.conftest import git_daemon  # noqa: F401 (fixture)

TODAY = date(2026, 3, 10)


@pytest.fixture
def demo(db):
    call_command("program", "load", verbosity=0)
    with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
        yield demo_populate(TODAY)


def test_the_demo_prints_two_examiners_and_two_proctors_who_hold_their_roles(demo):
    roles = Counter(login.role for login in demo)
    User = get_user_model()

    assert roles["examiner"] == 2 and roles["proctor"] == 2
    for login in demo:
        if login.role in ("examiner", "proctor"):
            assert User.objects.get(email=login.email).has_role(Role(login.role))


def test_a_demo_candidates_portfolio_can_be_given_to_the_demo_examiners(
    demo,
    git_daemon,  # noqa: F811 (fixture)
    client,
):
    User = get_user_model()
    candidate = User.objects.get(email=f"portfolio@{DOMAIN}")  # passed ML Expert's test
    office = User.objects.get(email=f"office@{DOMAIN}")
    examiners = [User.objects.get(email=f"{local}@{DOMAIN}") for local in ("examiner", "examiner2")]
    repo = git_daemon.repo("demo.git")
    repo.commit({"train.py": "import sklearn\n"})
    with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
        submission = submission_create(
            candidate=candidate,
            certification="ml-expert",
            url=git_daemon.url("demo.git"),
            acting_user=candidate,
        )

        examiners_assign(submission=submission, examiners=examiners, acting_user=office)

        for examiner in examiners:
            client.force_login(examiner)
            page = client.get(reverse("portfolios:detail", args=[submission.pk]))
            assert page.status_code == 200
            assert "Your rubric" in page.content.decode()


def test_the_demos_excellent_candidate_paid_her_fees_and_gets_her_refund_transferred(demo, client):
    """Issue 19 item 6: she paid both invoices before her sessions, so the refund settles no
    fee and is transferred in full, and the page says so."""
    candidate = get_user_model().objects.get(email=f"excellent@{DOMAIN}")
    client.force_login(candidate)
    with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
        page = client.get(reverse("billing:my-fees")).content.decode()
    assert 'data-testid="owed">0.00 EUR' in page
    assert "No fee of yours was open, so all of it" in page
    assert 'data-testid="refund-to-transfer">' in page and "refund-settled" not in page
    assert "fees you still owed" not in page


def test_the_demo_holder_has_a_chosen_public_set_and_a_working_evidence_page(demo, client):
    from credence.credentials.models import Certificate

    User = get_user_model()
    hanna = User.objects.get(email=f"evidence@{DOMAIN}")
    certificate = Certificate.objects.get(holder=hanna, award="ml-expert")
    page = client.get(f"/certificates/{certificate.serial}/evidence/").content.decode()
    assert "Hanna Holder" in page
    assert "https://github.com/credence-demo/churn-prediction" in page
    assert "equals the digest the credential signed" in page
    assert "within the 15-point margin" in page
    report = client.get(f"/certificates/{certificate.serial}/evidence/portfolio/report.json")
    assert report.status_code == 200


def test_the_demo_proctor_sees_the_accommodations_of_an_upcoming_session(db, client):
    # with the shipped bank (as `credence demo` loads it) the demo books a Responsible AI
    # session where Paula's approved extra time applies by itself and Ben's request does not
    call_command("program", "load", verbosity=0)
    call_command("items", "load", verbosity=0)
    with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
        demo_populate(TODAY)
        client.force_login(get_user_model().objects.get(email=f"proctor@{DOMAIN}"))
        session = ExamSession.objects.get(venue="Demo test centre, quiet room")
        page = client.get(reverse("exams:console", args=[session.pk])).content.decode()
    assert "Paula Portfolio" in page and "Ben Breaks" in page
    assert "Extra time \u00d71.5" in page and "135 min from check-in" in page
    assert "AC3: Not approved by the program office: it does not apply" in page
