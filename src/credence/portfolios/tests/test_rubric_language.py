"""The rubric's criteria in the reader's language (issue 19 item 7, decision 0037): the
submission keeps its rubric copy as made, in English; the pages name its criteria as the
program file translates them."""

from __future__ import annotations

from django.urls import reverse

from credence.portfolios.tests.test_blind import (  # noqa: F401 (fixtures)
    clock,
    erin_scores,
    people,
    submission,
)


def test_an_examiner_reading_german_scores_german_criteria(client, submission, people):  # noqa: F811
    client.force_login(people["erin"])
    url = reverse("portfolios:detail", args=[submission.pk])
    german = client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "Problemstellung" in german and "Gründlichkeit der Bewertung" in german
    assert "Problem framing" not in german
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Problem framing" in english and "Problemstellung" not in english
    # the copy the scores are computed against is the English one it was made with
    assert submission.rubric["criteria"][0]["name"] == "Problem framing"
    erin_scores(submission, people)
    sheet = client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "Technische Tiefe" in sheet
