"""A portfolio evaluation for the demo, through the real services from the analysis on: a
small repository made here and analysed by the real analysis (the demo runs offline, so it
cannot fetch one), submitted at its pinned commit, two examiners assigned who score the
rubric blind, and the result released (decision 0054's evidence chain then has every link).
The submission names a GitHub address for the holder's evidence page to link to."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from credence.catalog import api as catalog_api
from credence.portfolios import services
from credence.portfolios.analysis import analyze
from credence.portfolios.models import Submission
from credence.portfolios.selectors import rubric_for, topics_for
from credence.portfolios.statuses import SubmissionStatus

DEMO_REPOSITORY = "https://github.com/credence-demo/churn-prediction"
_FILES = {
    "README.md": "# Churn prediction\n\nA gradient-boosted churn model with its evaluation.\n",
    "train.py": "from sklearn.ensemble import GradientBoostingClassifier\n\nMODEL = None\n",
    "evaluate.py": "from sklearn.metrics import roc_auc_score\n\nTHRESHOLD = 0.5\n",
    "tests/test_evaluate.py": "def test_threshold():\n    assert 0 < 0.5 < 1\n",
    "requirements.txt": "scikit-learn==1.5.2\n",
    "LICENSE": "MIT License\n",
}


def _repository(folder: Path, name: str, email: str) -> None:
    """A repository of three commits by the candidate, dated so that its commits (and so
    the pinned commit) are the same on every run."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }

    def git(*args: str, day: int = 1) -> None:
        stamp = f"2026-01-{day:02d}T10:00:00+00:00"
        subprocess.run(
            ["git", *args],
            cwd=folder,
            env=env | {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    for day, names in enumerate((("README.md", "LICENSE"), ("train.py", "requirements.txt"))):
        for file in names:
            (folder / file).write_text(_FILES[file])
        git("add", "-A")
        git("commit", "-q", "-m", f"Add {', '.join(names)}", day=day + 1)
    (folder / "tests").mkdir()
    for file in ("evaluate.py", "tests/test_evaluate.py"):
        (folder / file).write_text(_FILES[file])
    git("add", "-A")
    git("commit", "-q", "-m", "Evaluate the model, with a test", day=3)


def released_portfolio_for_demo(
    *, attempt: Any, examiners: tuple[Any, Any], staff: Any, today: date
) -> Submission:
    """``attempt`` (a booked portfolio attempt) evaluated and released on ``today``."""
    candidate = attempt.candidate
    code = attempt.certification.code
    with tempfile.TemporaryDirectory() as folder:
        _repository(Path(folder), candidate.full_name, candidate.email)
        report = analyze(
            folder,
            identities=[candidate.email],
            topics=topics_for(catalog_api.program_rules(), code),
        )
    rubric = rubric_for(code)
    submission = Submission.objects.create(
        candidate=candidate,
        certification=attempt.certification,
        attempt=attempt,
        url=DEMO_REPOSITORY,
        requested_ref="main",
        commit=report["commit"],
        identities=[candidate.email],
        rubric=rubric.as_json(),
        status=SubmissionStatus.ANALYSED,
        report=report,
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
