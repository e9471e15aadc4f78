from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credence.catalog.models import Certification
from credence.catalog.tests.conftest import FIXTURES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "credence", "program", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_without_a_file_checks_the_default_program(default_path):
    done = run("check")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"OK: {default_path}: AI Engineer Certification, 7 certifications"


def test_check_prints_every_problem_and_exits_2():
    path = FIXTURES / "bad" / "several-problems.toml"

    done = run("check", str(path))

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[:4] == [
        f"{path}:12: rules.fee_per_evaluation: Money cannot be negative; got -200.",
        f"{path}:15: rules.validity_years: This must be greater than 0; got -1.",
        f'{path}:47: certifications[1].descripton: Unknown key "descripton" in '
        'certifications[1] (code "vision"); did you mean "description"?',
        f'{path}:57: certifications[2].topics[1]: The topic "robotics" is not defined in '
        "[[topics]].",
    ]
    assert done.stdout == ""


def test_check_through_call_command():
    out, err = StringIO(), StringIO()
    call_command("program", "check", str(FIXTURES / "minimal.toml"), stdout=out, stderr=err)
    assert out.getvalue().startswith("OK: ")
    assert out.getvalue().strip().endswith("Mini program, 3 certifications")

    with pytest.raises(CommandError) as caught:
        call_command("program", "check", str(FIXTURES / "bad" / "negative-fee.toml"), stderr=err)
    assert caught.value.returncode == 2
    assert "rules.fee_per_evaluation: Money cannot be negative" in err.getvalue()


@pytest.mark.django_db
def test_load_twice_reports_created_then_unchanged():
    first, second = StringIO(), StringIO()

    call_command("program", "load", stdout=first)
    updated_at = dict(Certification.objects.values_list("code", "updated_at"))
    call_command("program", "load", stdout=second)

    assert first.getvalue().startswith("created: ai-engineer (AI Engineer Certification)")
    assert second.getvalue() == "unchanged: ai-engineer (AI Engineer Certification)\n"
    assert dict(Certification.objects.values_list("code", "updated_at")) == updated_at


@pytest.mark.django_db
def test_load_refuses_a_bad_file_and_writes_nothing():
    with pytest.raises(CommandError) as caught:
        call_command(
            "program", "load", str(FIXTURES / "bad" / "kind-mismatch.toml"), stderr=StringIO()
        )

    assert caught.value.returncode == 2
    assert not Certification.objects.exists()
