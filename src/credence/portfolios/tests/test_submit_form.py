"""The submission form offers only what may be done (issue 19, item 5): only certifications
the rules let the candidate submit for today, the others listed with the rule and the earliest
day; a host that cannot be reached is the platform's problem, asked again a few times before
the candidate reads so; every message once. Real git against a real HTTP server on localhost."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from credence.exams.services import attempt_book, attempt_record_result
from credence.portfolios import gitsafe
from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.gitsafe import Limits
from credence.portfolios.models import Submission
from credence.portfolios.tests.gitrepos import RepoBuilder, git

CERT = "ml-expert"
UNREACHABLE = "Credence could not reach the repository's host"
R1 = "can be booked only after you pass the Knowledge test"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-05-04 10:00:00+02:00", tick=False):
        yield


def passed_test(candidate, office, certification: str = CERT) -> None:
    attempt = attempt_book(
        candidate=candidate,
        certification=certification,
        evaluation="knowledge-test",
        held_on=date(2026, 4, 1),
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(85), released_on=date(2026, 4, 2), acting_user=office
    )


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def offered(page: str) -> list[str]:
    select = re.search(r'<select name="certification".*?</select>', page, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(0)) if select else []


# -- only what may be submitted today ----------------------------------------------------------


def test_a_new_candidate_is_offered_nothing_and_reads_why_for_each(client, candidate):
    client.force_login(candidate)

    page = page_of(client.get(reverse("portfolios:mine")))

    assert offered(page) == []
    assert "Submit for evaluation" not in page
    assert "There is no certification you can submit a repository for today" in page
    assert page.count("Rule R1") == 7
    assert page.count(R1) == 7


def test_only_the_certification_whose_test_is_passed_is_offered_the_others_say_when(
    client, candidate, office
):
    passed_test(candidate, office)
    passed_test(candidate, office, "mlops")
    failed = attempt_book(
        candidate=candidate,
        certification="mlops",
        evaluation="portfolio",
        held_on=date(2026, 4, 20),
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=failed, score=Decimal(40), released_on=date(2026, 4, 22), acting_user=office
    )
    client.force_login(candidate)

    page = page_of(client.get(reverse("portfolios:mine")))

    assert offered(page) == [CERT]
    assert page.count("Rule R1") == 5  # the five certifications whose test is still ahead
    assert page.count("Rule R2") == 1  # MLOps: the wait after a failed interview
    assert "Earliest: May 22, 2026" in page


def test_a_refused_certification_posted_anyway_is_refused_once_and_nothing_is_booked(
    client, candidate, office
):
    passed_test(candidate, office)
    client.force_login(candidate)

    page = page_of(
        client.post(
            reverse("portfolios:mine"),
            {"certification": "nlp", "url": "https://github.com/ada/nlp-project"},
        )
    )

    assert not Submission.objects.exists()
    assert "Select a valid choice" in page
    # the rule is said once per certification it refuses, never repeated for the post
    assert (
        page.count(
            "The Interview based on a portfolio project of Natural Language Processing can be "
            "booked only after you pass the Knowledge test"
        )
        == 1
    )


# -- the platform's problems are retried, then said to be ours ---------------------------------


@dataclass
class FlakyHost:
    """A real HTTP server that serves repositories over git's "dumb" HTTP protocol (plain
    files) and fails the first ``failures`` requests with ``status``."""

    root: Path
    port: int = 0
    status: int = 503
    failures: int = 10**6
    requests: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def repo(self, name: str) -> RepoBuilder:
        built = RepoBuilder(self.root / "work" / name)
        (self.root / "served" / name).symlink_to(built.path / ".git")
        return built


@pytest.fixture
def flaky_host(tmp_path: Path, settings) -> Iterator[FlakyHost]:
    host = FlakyHost(tmp_path)
    (tmp_path / "served").mkdir()

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            host.requests.append(self.path)
            if len(host.requests) <= host.failures:
                self.send_error(host.status)
                return
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(Handler, directory=str(tmp_path / "served"))
    )
    host.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CREDENCE_PORTFOLIO_HOSTS = [f"127.0.0.1:{host.port}"]
    settings.CREDENCE_PORTFOLIO_PROTOCOLS = ["http"]
    settings.CREDENCE_PORTFOLIO_LIMITS = {"retry_delays": (0.05, 0.1, 0.2)}
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def eligible(client, candidate, office):
    passed_test(candidate, office)
    client.force_login(candidate)
    return client


def submit(client, url: str):
    return client.post(reverse("portfolios:mine"), {"certification": CERT, "url": url})


def test_a_host_that_keeps_failing_is_asked_four_times_then_it_is_our_problem(eligible, flaky_host):
    page = page_of(submit(eligible, flaky_host.url("p.git")))

    assert len(flaky_host.requests) == 4  # the first try and three more after pauses
    assert page.count(UNREACHABLE) == 1
    assert "not of the repository" in page
    assert page.count("Credence asked 4 times, with pauses in between.") == 1
    assert "returned error: 503" in page  # git's words, once
    assert "without logging in" not in page
    assert not Submission.objects.exists()
    german = page_of(
        eligible.post(
            reverse("portfolios:mine"),
            {"certification": CERT, "url": flaky_host.url("p.git")},
            HTTP_ACCEPT_LANGUAGE="de",
        )
    )
    assert german.count("Credence hat es 4-mal versucht, mit Pausen dazwischen.") == 1


def test_a_host_back_after_a_moment_takes_the_submission(eligible, flaky_host):
    repo = flaky_host.repo("p.git")
    sha = repo.commit({"train.py": "import sklearn\n"})
    git(repo.path, "update-server-info")
    flaky_host.failures = 2

    response = submit(eligible, flaky_host.url("p.git"))

    assert response.status_code == 302
    assert Submission.objects.get().commit == sha
    # two failed tries, then the refs (and, over dumb HTTP, the default branch)
    assert flaky_host.requests.count("/p.git/info/refs?service=git-upload-pack") == 3


def test_the_evidence_report_clones_through_a_moment_of_failure(flaky_host):
    repo = flaky_host.repo("p.git")
    sha = repo.commit({"train.py": "import sklearn\n"})
    git(repo.path, "update-server-info")
    flaky_host.failures = 1

    report = analyze(
        flaky_host.url("p.git"), limits=Limits(protocols=("http",), retry_delays=(0.05,))
    )

    assert (report["commit"], report["commits"]) == (sha, 1)


def test_the_evidence_report_says_our_side_once_the_retries_are_spent(flaky_host):
    with pytest.raises(AnalysisError) as raised:
        analyze(flaky_host.url("p.git"), limits=Limits(protocols=("http",), retry_delays=(0.05,)))

    assert str(raised.value).startswith(UNREACHABLE)
    assert "Credence asked 2 times" in str(raised.value)
    assert flaky_host.requests == ["/p.git/info/refs?service=git-upload-pack"] * 2


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (404, "There is no git repository at this address"),
        (401, "The repository cannot be read without logging in"),
        (403, "The repository cannot be read without logging in"),
    ],
)
def test_the_candidate_s_own_problem_is_said_at_once_without_retrying(
    eligible, flaky_host, status, says
):
    flaky_host.status = status

    page = page_of(submit(eligible, flaky_host.url("p.git")))

    assert len(flaky_host.requests) == 1
    assert page.count(says) == 1
    assert UNREACHABLE not in page


def test_a_host_nobody_answers_at_is_retried_and_is_our_problem(eligible, settings):
    # a port on which nothing listens: the connection is refused each time
    with ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler) as probe:
        port = probe.server_address[1]
    settings.CREDENCE_PORTFOLIO_HOSTS = [f"127.0.0.1:{port}"]
    settings.CREDENCE_PORTFOLIO_PROTOCOLS = ["http"]
    settings.CREDENCE_PORTFOLIO_LIMITS = {"retry_delays": (0.05, 0.05)}

    page = page_of(submit(eligible, f"http://127.0.0.1:{port}/p.git"))

    assert page.count(UNREACHABLE) == 1
    assert page.count("Credence asked 3 times, with pauses in between.") == 1
    assert "Connection refused" in page or "Failed to connect" in page


# -- which side a failure is on ----------------------------------------------------------------


@pytest.mark.parametrize(
    "stderr",
    [
        # git can add a login prompt it could never have answered to a host it never reached
        "error: unable to read askpass response from '/bin/false'\nfatal: could not read "
        "Username for 'https://github.com': terminal prompts disabled\nfatal: unable to access "
        "'https://github.com/ada/p/': Could not resolve host: github.com\n",
        "fatal: unable to access 'https://github.com/ada/p/': The requested URL returned "
        "error: 429\n",
        "fatal: unable to access 'https://github.com/ada/p/': Failed to connect to github.com "
        "port 443 after 130 ms: Connection timed out\n",
    ],
)
def test_a_host_never_reached_or_failing_is_the_platform_s_side(stderr):
    assert gitsafe.classify(stderr) == gitsafe.UNREACHABLE


def test_retrying_stops_at_once_on_the_candidate_s_side():
    calls: list[int] = []

    def missing() -> None:
        calls.append(1)
        raise gitsafe.GitError("not found", kind=gitsafe.NOT_A_REPOSITORY)

    with pytest.raises(gitsafe.GitError) as raised:
        gitsafe.retrying(missing, delays=(0.01, 0.01))

    assert len(calls) == 1
    assert raised.value.params["tries"] == 1
