"""A portfolio evaluation for the demo, through the real services from the examiners on:
a submission at a pinned commit with its evidence report, two examiners assigned who score
the rubric blind, and the result released (decision 0054's evidence chain then has every
link). The repository is not fetched: the demo runs offline, so its report is written here,
in the shape the analysis gives, and says so in its notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from credence.portfolios import services
from credence.portfolios.models import Submission

DEMO_REPOSITORY = "https://github.com/credence-demo/churn-prediction"
DEMO_COMMIT = "5f0c2a9e7b41d3c8a6e9f1b2c3d4e5f6a7b8c9d0"


def released_portfolio_for_demo(
    *, attempt: Any, examiners: tuple[Any, Any], staff: Any, today: date
) -> Submission:
    """``attempt`` (a booked portfolio attempt) evaluated and released on ``today``."""
    rubric = services.rubric_for(attempt.certification.code)
    submission = Submission.objects.create(
        candidate=attempt.candidate,
        certification=attempt.certification,
        attempt=attempt,
        url=DEMO_REPOSITORY,
        requested_ref="main",
        commit=DEMO_COMMIT,
        rubric=rubric.as_json(),
        status="analysed",
        report={
            "commit": DEMO_COMMIT,
            "commits": 57,
            "authors": [{"name": attempt.candidate.full_name, "commits": 57}],
            "files": 42,
            "notes": ["Demo report: written for the demo, the repository was not fetched."],
        },
    )
    services.examiners_assign(submission=submission, examiners=examiners, acting_user=staff)
    top = rubric.scale
    for examiner, drop in zip(examiners, (0, 1), strict=True):
        points = {c.code: top - (drop if i % 2 else 0) for i, c in enumerate(rubric.criteria)}
        services.score_record(submission=submission, points=points, acting_user=examiner)
    return services.submission_release(
        submission=submission,
        feedback="Clear evaluation design and a reproducible pipeline.",
        acting_user=staff,
        today=today,
    )
