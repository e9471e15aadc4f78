"""The program loaded in the catalog is the one a portfolio is evaluated under (issue 17,
issue 15 item 3): the next submission takes its rubric, the report its topics and its bot
patterns; a submission made before keeps its rubric, and so do its scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credence.catalog.tests.programs import (
    OTHER_RUBRIC,
    OTHER_TOPICS,
    load_text,
    other_program_text,
)
from credence.portfolios.models import RubricScore
from credence.portfolios.report_services import submission_analyse
from credence.portfolios.services import (
    PortfolioError,
    examiners_assign,
    score_record,
    submission_create,
)
from credence.portfolios.tests.conftest import make_user
from credence.portfolios.tests.test_services import ALL_FOUR, TODAY, pass_knowledge_test

DEFAULT_CRITERIA = list(ALL_FOUR)


@pytest.fixture
def project(git_daemon):
    repo = git_daemon.repo("project.git")
    repo.commit({"train.py": "import sklearn\n"}, name="Cand", email="cand@example.invalid")
    # a custom CI account: no bot pattern of the report's own matches it
    repo.commit(
        {"requirements.txt": "scikit-learn==1.5.0\n"},
        name="Build Runner",
        email="builds@ci.example.org",
    )
    return repo


def submit(candidate, git_daemon):
    submission = submission_create(
        candidate=candidate,
        certification="ml-expert",
        url=git_daemon.url("project.git"),
        acting_user=candidate,
        today=TODAY,
    )
    return submission_analyse(submission_id=submission.pk)


def test_the_next_submission_is_evaluated_under_the_program_loaded_last(
    candidate, office, examiners, git_daemon, project
):
    pass_knowledge_test(candidate, office)
    before = submit(candidate, git_daemon)
    examiners_assign(submission=before, examiners=examiners, acting_user=office)
    old_score = score_record(
        submission=before, points={**ALL_FOUR, "relevance": 2}, acting_user=examiners[0]
    )
    assert [c["code"] for c in before.rubric["criteria"]] == DEFAULT_CRITERIA
    assert (before.report["commits"], before.report["bots"]) == (2, [])
    assert [t["code"] for t in before.report["relevance"]["topics"]] == [
        "supervised-learning",
        "model-evaluation",
        "model-deployment",
    ]

    load_text(other_program_text())

    other = make_user("other@example.invalid")
    pass_knowledge_test(other, office)
    after = submit(other, git_daemon)
    # its rubric, its topics, its bots ("*@ci.example.org")
    assert after.rubric == OTHER_RUBRIC
    assert [t["code"] for t in after.report["relevance"]["topics"]] == OTHER_TOPICS
    assert (after.report["commits"], after.report["commits_including_bots"]) == (1, 2)
    assert [b["email"] for b in after.report["bots"]] == ["builds@ci.example.org"]
    examiners_assign(submission=after, examiners=examiners, acting_user=office)
    with pytest.raises(PortfolioError, match="every criterion"):
        score_record(submission=after, points=ALL_FOUR, acting_user=examiners[0])
    new_score = score_record(
        submission=after, points={"design": 5, "delivery": 0}, acting_user=examiners[0]
    )
    assert new_score.percent == Decimal("25.00")  # weight 1 of 4, all points

    # the submission made before keeps the rubric it was made under, and so does its score,
    # which its examiners may still revise by that rubric (and by no other)
    before.refresh_from_db()
    assert [c["code"] for c in before.rubric["criteria"]] == DEFAULT_CRITERIA
    assert RubricScore.objects.get(pk=old_score.pk).percent == old_score.percent
    with pytest.raises(PortfolioError, match="every criterion"):
        score_record(
            submission=before, points={"design": 5, "delivery": 5}, acting_user=examiners[1]
        )
    assert score_record(
        submission=before, points=ALL_FOUR, acting_user=examiners[1]
    ).percent == Decimal("100.00")


def test_a_certification_the_program_gives_no_rubric_is_refused_clearly(
    candidate, office, git_daemon, project
):
    rubric = (
        "[certifications.rubric]\nscale = 5\ncriteria = [\n"
        '    { code = "design", name = "Design", weight = 1 },\n'
        '    { code = "delivery", name = "Delivery", weight = 3 },\n'
        "]\n"
    )
    text = other_program_text()
    assert text.count(rubric) == 1
    # without a rubric, its criteria have no German names either
    german = 'criteria = { design = "Entwurf", delivery = "Lieferung" }\n'
    load_text(text.replace(rubric, "").replace(german, ""))
    pass_knowledge_test(candidate, office)
    with pytest.raises(PortfolioError, match="no interview rubric for ml-expert"):
        submit(candidate, git_daemon)
