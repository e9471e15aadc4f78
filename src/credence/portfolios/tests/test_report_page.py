"""The examiner reads the report's evidence in full (issue 15, item 7): symbolic links,
submodules, the largest commit's id and message, large and unreadable files, and what was
left out and why, from a repository built in the test and served by a real git daemon."""

from __future__ import annotations

import html
import os
import random
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios.analysis import analyze
from credence.portfolios.report_services import submission_analyse
from credence.portfolios.services import examiners_assign, submission_create
from credence.portfolios.statuses import SubmissionStatus
from credence.portfolios.tests.gitrepos import TEST_LIMITS, RepoBuilder, git

CERT = "ml-expert"
DUMP_MESSAGE = "Add the whole project at once\n\nCopied from my laptop; history lost."


def test_the_report_holds_the_largest_commit_s_message(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"a.py": "x = 1\n"}, message="Start")
    dump = repo.commit({f"m{i}.py": "y = 2\n" * 50 for i in range(5)}, message=DUMP_MESSAGE)
    repo.commit({"b.py": "z = 3\n"}, message="Small fix")

    report = analyze(str(repo.path), limits=TEST_LIMITS)

    assert report["largest_commit"] == dump
    assert report["largest_commit_message"] == DUMP_MESSAGE


def test_a_very_long_message_is_cut(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"a.py": "x = 1\n"}, message="m" * 5000)
    report = analyze(str(repo.path), limits=TEST_LIMITS)
    assert len(report["largest_commit_message"]) == 2001
    assert report["largest_commit_message"].endswith("…")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-05-04 10:00:00+02:00", tick=False):
        yield


@pytest.fixture
def analysed(candidate, office, examiners, git_daemon, settings, tmp_path):
    """A submission whose repository has one of everything item 7 is about."""
    attempt = attempt_book(
        candidate=candidate,
        certification=CERT,
        evaluation="knowledge-test",
        held_on=date(2026, 4, 1),
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(85), released_on=date(2026, 4, 2), acting_user=office
    )
    vendor = RepoBuilder(tmp_path / "vendor")
    vendor_sha = vendor.commit({"lib.py": "import torch\n"})
    repo = git_daemon.repo("full.git")
    repo.commit({"README.md": "# Churn\n"}, email="cand@example.invalid", message="Start")
    repo.commit(
        {"weights.bin": random.Random(1).randbytes(6_000)},  # large, left on the server
        email="cand@example.invalid",
        message="Add weights",
    )
    repo.commit({"weights.bin": None}, email="cand@example.invalid", message="Drop weights")
    os.symlink("/etc/passwd", repo.path / "passwd-link")
    (repo.path / ".gitmodules").write_text(
        f'[submodule "vendor"]\n\tpath = vendor\n\turl = {vendor.path}\n'
    )
    git(repo.path, "add", "passwd-link", ".gitmodules")
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{vendor_sha},vendor")
    repo.commit(
        {
            "data.csv": "a,b\n" + "1,2\n" * 1300,  # 5,204 bytes: large, and read
            **{f"src/m{i}.py": "y = 2\n" * 40 for i in range(4)},
        },
        email="cand@example.invalid",
        message=DUMP_MESSAGE,
    )
    repo.commit(
        {"requirements.txt": "numpy==1.26.0\n"},
        name="dependabot[bot]",
        email="49699333+dependabot[bot]@users.noreply.github.com",
        message="Bump numpy",
    )
    repo.commit({"x.py": "x = 1\n"}, name="ubuntu", email="ubuntu@ip-10-0-0-1", message="wip")
    repo.commit(
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  lint:\n    steps:\n      - run: ruff\n",
            "README.md": "# Churn\n\n## License\n\nMIT\n",
        },
        name="Ada Lovelace",
        email="ada@home.example",
        message="CI and licence",
    )
    submission = submission_create(
        candidate=candidate,
        certification=CERT,
        url=git_daemon.url("full.git"),
        identities=["cand@example.invalid"],
        acting_user=candidate,
    )
    examiners_assign(submission=submission, examiners=list(examiners), acting_user=office)
    settings.CREDENCE_PORTFOLIO_LIMITS = {"large_file_bytes": 5_000, "max_blob_bytes": 5_500}
    submission = submission_analyse(submission_id=submission.pk)
    assert submission.status == SubmissionStatus.ANALYSED, submission.analysis_error
    return submission


def section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_examiner_reads_every_piece_of_evidence(client, analysed, examiners):
    report = analysed.report
    client.force_login(examiners[0])

    page = html.unescape(
        client.get(reverse("portfolios:detail", args=[analysed.pk])).content.decode()
    )

    # the largest commit: id and whole message
    assert f'<code id="largest-commit">{report["largest_commit"]}</code>' in page
    assert DUMP_MESSAGE in page
    # symbolic links and submodules, listed
    assert "<code>passwd-link</code>" in section(page, 'id="symlinks"', "</dd>")
    assert "<code>vendor</code>" in section(page, 'id="submodules"', "</dd>")
    assert "root:" not in page
    # large files: one read (in the pinned tree), one left on the server and removed later
    large = section(page, 'id="large-files"', "</table>")
    assert "<code>data.csv</code>" in large and "in the pinned commit" in large
    assert "<code>weights.bin</code>" in large
    assert "unknown: left on the server (partial clone)" in large
    assert "removed later, still in the history" in large
    unreadable = section(page, 'id="unreadable"', "</table>")
    assert "<code>weights.bin</code>" in unreadable
    assert "not in the clone" in unreadable
    # what was left out, and why
    excluded = section(page, 'id="excluded"', "</ul>")
    assert "dependabot[bot]" in excluded and "(1 commit)" in excluded
    assert "ubuntu &lt;ubuntu@ip-10-0-0-1&gt;" in html.escape(excluded, quote=False)
    assert "notebooks (JSON) and binary files are not counted" in excluded
    assert "Data files, not counted as code (lines added): <code>data.csv</code> (1301)" in excluded
    assert f"{report['files']} files of the pinned commit were read." in excluded
    # the figures with and without bots, and why identities were taken as one person
    assert f"({report['commits_including_bots']} with bots)" in page
    assert report["commits_including_bots"] == report["commits"] + 1
    lines = report["lines_added"]
    assert f"{lines['all']}: {lines['code']} code, {lines['data']} data" in page
    assert "same name" in page and "&lt;ada@home.example&gt;" in html.escape(page, quote=False)
    assert "(<code>.github/workflows/ci.yml</code>): runs no tests" in section(
        page, 'id="ci"', "</dd>"
    )
    assert "the README names MIT, but no licence file grants it" in section(
        page, 'id="license"', "</dd>"
    )


def test_the_candidate_does_not_read_the_report(client, analysed, candidate):
    client.force_login(candidate)
    page = html.unescape(
        client.get(reverse("portfolios:detail", args=[analysed.pk])).content.decode()
    )
    assert DUMP_MESSAGE not in page and 'id="symlinks"' not in page


def test_a_report_made_before_messages_were_recorded_still_shows(client, analysed, office):
    analysed.report.pop("largest_commit_message")
    analysed.save(update_fields=["report"])
    client.force_login(office)
    response = client.get(reverse("portfolios:detail", args=[analysed.pk]))
    assert response.status_code == 200
    assert "made before messages were recorded" in response.content.decode()


def test_an_empty_list_says_none_rather_than_vanishing(client, analysed, office):
    analysed.report |= {"large_files": [], "unreadable": [], "symlinks": [], "submodules": []}
    analysed.save(update_fields=["report"])
    client.force_login(office)
    page = html.unescape(
        client.get(reverse("portfolios:detail", args=[analysed.pk])).content.decode()
    )
    assert "Files of 10 MiB or more in any version of the history: none" in page
    assert "Files the report could not read: none" in page
    assert section(page, 'id="symlinks"', "</dd>").strip(">").strip() == "none"
    assert section(page, 'id="submodules"', "</dd>").strip(">").strip() == "none"


def test_the_evidence_reads_in_german(client, analysed, examiners):
    client.force_login(examiners[0])
    page = html.unescape(
        client.get(
            reverse("portfolios:detail", args=[analysed.pk]), HTTP_ACCEPT_LANGUAGE="de"
        ).content.decode()
    )
    assert "Der größte Commit" in page
    assert "Symbolische Verknüpfungen (aufgeführt, nie verfolgt)" in page
    assert "entfernt" in section(page, 'id="large-files"', "</table>")  # removed later
    assert "(1 Commit)" in section(page, 'id="excluded"', "</ul>")
    assert "Dateien des festgelegten Commits wurden gelesen." in page
    assert "Die Bewertung ist blind" in page  # Erin has not scored
