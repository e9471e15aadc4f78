"""The browser's pages and the API of item challenges: the candidate's page lists flagged
items first with their comment; the decision page shows the effect before applying it; the
API files (201, then 409 with rule C1) and lists the caller's own challenges."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse

from credence.challenges.models import Challenge, ChallengeOutcome
from credence.challenges.services import challenge_decide, challenge_file
from credence.challenges.tests.conftest import RELEASED
from credence.exams.models import Attempt
from credence.items.models import KeyRuling


@time_machine.travel(RELEASED, tick=False)
def test_the_candidate_challenges_a_flagged_item_with_its_comment(sat, client):
    client.force_login(sat.anna)
    mine = client.get(reverse("challenges:mine")).content.decode()
    assert reverse("challenges:new", args=[sat.anna_sitting.pk]) in mine
    page = client.get(reverse("challenges:new", args=[sat.anna_sitting.pk])).content.decode()
    # the flagged item comes first, its comment already in the form
    first = page.index('class="card challenge-item"')
    assert page.index(f'id="item-{sat.anna_position}"') < page.index('id="item-', first + 40)
    assert "Two options look right to me." in page
    assert "share of marks" not in page  # never the key

    filed = client.post(
        reverse("challenges:new", args=[sat.anna_sitting.pk]),
        {"position": sat.anna_position, "reasons": "Two options look right to me."},
    )
    assert filed.status_code == 302
    again = client.post(
        reverse("challenges:new", args=[sat.anna_sitting.pk]),
        {"position": sat.anna_position, "reasons": "Again."},
        follow=True,
    )
    assert "C1: You have challenged this item already." in again.content.decode()
    assert Challenge.objects.count() == 1
    path = client.get(reverse("learning:my-path")).content.decode()
    assert "Your item challenges" in path and "Waiting for a decision" in path


def test_after_the_window_the_page_says_c1_and_stores_nothing(sat, client):
    with time_machine.travel(sat.anna_sitting.submitted_at + timedelta(days=15), tick=False):
        client.force_login(sat.anna)
        assert (
            "C1: the time to challenge ended"
            in client.get(reverse("challenges:mine")).content.decode()
        )
        refused = client.post(
            reverse("challenges:new", args=[sat.anna_sitting.pk]),
            {"position": 0, "reasons": "Late."},
            follow=True,
        )
    assert "C1: The time to challenge the items of this test ended" in refused.content.decode()
    assert not Challenge.objects.exists()


@time_machine.travel(RELEASED, tick=False)
def test_the_decision_page_shows_the_effect_then_applies_it(sat, client):
    client.force_login(sat.anna)
    client.post(
        reverse("challenges:new", args=[sat.anna_sitting.pk]),
        {"position": sat.anna_position, "reasons": "Option 2 is the right one."},
    )
    client.force_login(sat.author)
    queue = client.get(reverse("challenges:queue")).content.decode()
    url = reverse("challenges:decide", args=[sat.shared])
    assert url in queue
    page = client.get(url).content.decode()
    assert "Option 2 is the right one." in page and "Anna" not in page
    form = {"kind": "rekey", "key": ["1"], "reasons": "The stem asks for it."}
    preview = client.post(url, {**form, "action": "preview"}).content.decode()
    assert 'id="effect"' in preview and "outcome changes" in preview
    # the author sees the results, not whose they are; the office sees the names
    assert "Result 2" in preview and "Anna Candidate" not in preview
    client.force_login(sat.office)
    named = client.post(url, {**form, "action": "preview"}).content.decode()
    assert "Anna Candidate" in named and "Ben Candidate" in named
    assert not KeyRuling.objects.exists()
    applied = client.post(url, {**form, "action": "apply"}, follow=True).content.decode()
    assert "2 results rescored" in applied
    assert KeyRuling.objects.get().kind == "rekey"
    assert Attempt.objects.get(pk=sat.ben_sitting.booking.attempt.pk).status == "passed"
    assert Challenge.objects.get().outcome == ChallengeOutcome.REKEY


def test_a_candidate_does_not_decide(sat, client):
    client.force_login(sat.ben)
    assert client.get(reverse("challenges:queue")).status_code == 403


@time_machine.travel(RELEASED, tick=False)
def test_the_api_files_and_lists_the_callers_own_challenges(sat, client):
    client.force_login(sat.anna)
    body = {"sitting": sat.anna_sitting.pk, "position": sat.anna_position, "reasons": "Why?"}
    filed = client.post("/api/v1/challenges/new", body, content_type="application/json")
    assert filed.status_code == 201
    assert filed.json()["outcome"] == "pending" and filed.json()["certification"] == "ml-expert"
    again = client.post("/api/v1/challenges/new", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["rule"] == "C1"
    listed = client.get("/api/v1/challenges").json()
    assert [c["id"] for c in listed["items"]] == [filed.json()["id"]]
    client.force_login(sat.ben)
    other = client.post("/api/v1/challenges/new", body, content_type="application/json")
    assert other.status_code == 404
    assert client.get("/api/v1/challenges").json()["items"] == []
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/challenges", "/api/v1/challenges/new"} <= set(schema["paths"])


def test_the_item_bank_shows_the_decision_on_the_version(sat, client):
    challenge_file(
        sitting_id=sat.anna_sitting.pk,
        position=sat.anna_position,
        reasons="Ambiguous.",
        candidate=sat.anna,
        now=RELEASED,
    )
    challenge_decide(
        version_id=sat.shared, kind="drop", key=[], reasons="Ambiguous.", acting_user=sat.author
    )
    client.force_login(sat.author)
    item = KeyRuling.objects.get().version.item_id
    page = client.get(reverse("items:item", args=[item])).content.decode()
    assert "Drop the item from scoring" in page
