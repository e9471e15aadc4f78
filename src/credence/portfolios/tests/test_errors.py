"""Clear errors (issue 15, item 5): git's whole relevant message, said in the product's words,
once, from real git failures: the CLI, the analysis and the submission form."""

from __future__ import annotations

import html
import io
import random
import socket
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from credence.audit.models import AuditEvent
from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios import gitsafe
from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.gitsafe import Limits
from credence.portfolios.models import Submission
from credence.portfolios.report_services import submission_analyse
from credence.portfolios.statuses import SubmissionStatus
from credence.portfolios.tests.gitrepos import TEST_LIMITS, RepoBuilder, git

CERT = "ml-expert"
NOT_A_REPOSITORY = "There is no git repository at this address"
UNREACHABLE = "Credence could not reach the repository's host"


def closed_port() -> int:
    """A local port nothing listens on: connecting fails at once, with no network needed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- what git says, and what kind of failure it is ------------------------------------------


def test_the_whole_message_is_kept_without_the_boilerplate(tmp_path):
    (tmp_path / "plain").mkdir()
    done = subprocess.run(
        ["git", "clone", "--bare", "-q", (tmp_path / "plain").as_uri(), str(tmp_path / "out")],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": str(tmp_path)},
        check=False,
    )
    stderr = done.stderr.decode()
    assert stderr.rstrip().endswith("and the repository exists.")  # git's last line

    message = gitsafe.relevant_message(stderr)

    assert message == (
        f"'{tmp_path / 'plain'}' does not appear to be a git repository. "
        "Could not read from remote repository."
    )
    assert gitsafe.classify(stderr) == gitsafe.NOT_A_REPOSITORY


@pytest.mark.parametrize(
    ("stderr", "kind"),
    [
        (
            "error: unable to read askpass response from '/bin/false'\nfatal: could not read "
            "Username for 'https://github.com': terminal prompts disabled\n",
            gitsafe.NEEDS_LOGIN,
        ),
        ("fatal: repository 'https://example.org/a.git/' not found\n", gitsafe.NOT_A_REPOSITORY),
        (
            "fatal: remote error: access denied or repository not exported: /x.git\n",
            gitsafe.NOT_A_REPOSITORY,
        ),
        (
            "fatal: unable to access 'https://no-such-host.invalid/x.git/': Could not resolve "
            "host: no-such-host.invalid\n",
            gitsafe.UNREACHABLE,
        ),
        (
            "fatal: unable to access 'https://example.org/x.git/': The requested URL returned "
            "error: 502\n",
            gitsafe.UNREACHABLE,
        ),
        ("fatal: remote error: upload-pack: not our ref 1111\n", gitsafe.COMMIT_NOT_FOUND),
        ("fatal: transport 'file' not allowed\n", gitsafe.PROTOCOL),
        ("fatal: something new\n", gitsafe.OTHER),
    ],
)
def test_each_kind_of_failure_is_recognised_from_git_s_words(stderr, kind):
    assert gitsafe.classify(stderr) == kind


# -- the analysis and the CLI ------------------------------------------------------------------


def test_a_directory_that_is_not_a_repository(tmp_path):
    plain = tmp_path / "notes"
    plain.mkdir()
    (plain / "a.txt").write_text("x\n")

    with pytest.raises(AnalysisError) as raised:
        analyze(str(plain), limits=TEST_LIMITS)

    message = str(raised.value)
    assert message.startswith(NOT_A_REPOSITORY)
    assert "does not appear to be a git repository" in message  # git's words, once
    assert "and the repository exists" not in message
    assert message.count(NOT_A_REPOSITORY) == 1


def test_a_path_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(AnalysisError, match="is neither a directory on this machine"):
        analyze(str(tmp_path / "gone"), limits=TEST_LIMITS)


def test_an_empty_repository(tmp_path):
    empty = RepoBuilder(tmp_path / "empty")
    with pytest.raises(AnalysisError, match=r"^The repository is empty: it has no commits yet\.$"):
        analyze(str(empty.path), limits=TEST_LIMITS)


def test_a_missing_commit(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"a.py": "x\n"})
    missing = "0123456789" * 4
    with pytest.raises(AnalysisError) as raised:
        analyze(str(repo.path), commit=missing, limits=TEST_LIMITS)
    assert str(raised.value) == f"The repository has no commit, branch or tag {missing}."


def test_an_unreachable_host_is_the_platform_s_problem():
    port = closed_port()
    with pytest.raises(AnalysisError) as raised:
        analyze(f"https://127.0.0.1:{port}/none.git", limits=Limits(clone_seconds=20))
    message = str(raised.value)
    assert message.startswith(UNREACHABLE)
    assert "not of the repository" in message
    assert f"127.0.0.1 port {port}" in message  # git's own words say where


def test_an_over_limit_repository(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"data.bin": random.Random(1).randbytes(600_000)})
    limits = Limits(protocols=("file",), max_repo_bytes=200_000)
    with pytest.raises(AnalysisError) as raised:
        analyze(str(repo.path), limits=limits)
    assert str(raised.value).startswith("The repository is larger than 195.3\xa0KB")
    assert "Git said" not in str(raised.value)  # our limit, not git's failure


def test_the_cli_says_it_once(tmp_path, db):
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(CommandError, match=f"^{NOT_A_REPOSITORY}"):
        call_command("portfolio", "analyze", str(plain))
    done = subprocess.run(
        [sys.executable, "-m", "credence", "portfolio", "analyze", str(plain)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    stderr = done.stderr.decode()
    assert done.returncode == 1
    assert stderr.count(NOT_A_REPOSITORY) == 1
    assert stderr.count("does not appear to be a git repository") == 1
    assert "Traceback" not in stderr


def test_the_cli_says_when_the_host_cannot_be_reached(db):
    with pytest.raises(CommandError, match=f"^{UNREACHABLE}"):
        call_command(
            "portfolio", "analyze", f"https://127.0.0.1:{closed_port()}/x.git", stdout=io.StringIO()
        )


# -- the submission form -----------------------------------------------------------------------


@pytest.fixture
def eligible(client, candidate, office):
    """A signed-in candidate who passed the knowledge test (R1), on a fixed day."""
    with time_machine.travel("2026-05-04 10:00:00+02:00", tick=False):
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
        client.force_login(candidate)
        yield client


def submit(client, url: str, ref: str = "") -> str:
    response = client.post(
        reverse("portfolios:mine"), {"certification": CERT, "url": url, "ref": ref}
    )
    assert response.status_code == 200
    assert not Submission.objects.exists()
    return html.unescape(response.content.decode())


def test_the_form_says_there_is_no_repository_once(eligible, git_daemon):
    (git_daemon.root / "plain").mkdir()
    page = submit(eligible, git_daemon.url("plain"))
    assert page.count(NOT_A_REPOSITORY) == 1
    assert "not exported" in page  # git's words


def test_the_form_refuses_an_empty_repository(eligible, git_daemon):
    git_daemon.repo("empty.git")
    page = submit(eligible, git_daemon.url("empty.git"))
    assert page.count("The repository is empty: it has no commits yet.") == 1


def test_the_form_refuses_a_commit_the_host_does_not_have(eligible, git_daemon):
    repo = git_daemon.repo("p.git")
    first = repo.commit({"a.py": "x\n"})
    repo.commit({"b.py": "y\n"})
    missing = "0123456789" * 4
    page = submit(eligible, git_daemon.url("p.git"), ref=missing)
    assert page.count(f"The repository has no commit, branch or tag {missing}.") == 1
    # an older commit that is no branch tip is found on the host and pinned
    response = eligible.post(
        reverse("portfolios:mine"),
        {"certification": CERT, "url": git_daemon.url("p.git"), "ref": first},
    )
    assert response.status_code == 302
    assert Submission.objects.get().commit == first


def test_the_form_says_an_unreachable_host_is_not_the_candidate_s_fault(eligible, settings):
    port = closed_port()
    settings.CREDENCE_PORTFOLIO_HOSTS = [f"127.0.0.1:{port}"]
    settings.CREDENCE_PORTFOLIO_PROTOCOLS = ["git"]
    page = submit(eligible, f"git://127.0.0.1:{port}/p.git")
    assert page.count(UNREACHABLE) == 1
    assert "Connection refused" in page


def test_an_over_limit_repository_fails_its_report_and_everyone_reads_why(
    client, candidate, office, git_daemon, settings, eligible
):
    repo = git_daemon.repo("big.git")
    repo.commit({"data.bin": random.Random(2).randbytes(600_000)})
    git(repo.path, "config", "uploadpack.allowFilter", "true")
    response = eligible.post(
        reverse("portfolios:mine"), {"certification": CERT, "url": git_daemon.url("big.git")}
    )
    assert response.status_code == 302
    settings.CREDENCE_PORTFOLIO_LIMITS = {"max_repo_bytes": 200_000}

    submission = submission_analyse(submission_id=Submission.objects.get().pk)

    assert submission.status == SubmissionStatus.ANALYSIS_FAILED
    assert submission.analysis_error.startswith("The repository is larger than")
    for person in (candidate, office):
        client.force_login(person)
        page = html.unescape(
            client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
        )
        assert page.count("The repository is larger than") == 1


def test_the_form_says_it_in_german(eligible, git_daemon):
    (git_daemon.root / "plain").mkdir()
    response = eligible.post(
        reverse("portfolios:mine"),
        {"certification": CERT, "url": git_daemon.url("plain"), "ref": ""},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    page = html.unescape(response.content.decode())
    assert page.count("Unter dieser Adresse gibt es kein Git-Repository") == 1
    assert "Git meldete: remote error: access denied or repository not exported" in page


def test_the_office_prepares_a_failed_report_again(
    client, candidate, office, git_daemon, settings, eligible, django_capture_on_commit_callbacks
):
    repo = git_daemon.repo("p.git")
    pinned = repo.commit({"train.py": "import sklearn\n"})
    eligible.post(
        reverse("portfolios:mine"), {"certification": CERT, "url": git_daemon.url("p.git")}
    )
    submission = Submission.objects.get()
    away = repo.path.rename(repo.path.with_name("away"))  # the host loses it for a while
    submission = submission_analyse(submission_id=submission.pk)
    assert submission.status == SubmissionStatus.ANALYSIS_FAILED
    away.rename(repo.path)
    url = reverse("portfolios:reanalyse", args=[submission.pk])

    client.force_login(candidate)
    page = html.unescape(
        client.get(reverse("portfolios:detail", args=[submission.pk])).content.decode()
    )
    assert "Prepare the report again" not in page
    assert "The program office sees this too" in page
    assert client.post(url).status_code == 403

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ANALYSED
    assert submission.report["commit"] == pinned and submission.analysis_error == ""
    assert AuditEvent.objects.filter(action="portfolio.reanalysis_requested").count() == 1
    # a report that did not fail is not made again
    again = client.post(url, follow=True)
    assert "Only a report that failed can be prepared again." in html.unescape(
        again.content.decode()
    )
