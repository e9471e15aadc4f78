"""Every state change tells the person (issue 18, item 7): a released result and the
certificate it earns are mailed to the candidate by the task worker, in the platform's
language, with links built from the public URL; the certificate's mail carries its PDF and
the LinkedIn link. Each task is a row of the transaction that made the change."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from credence.credentials.models import Certificate
from credence.credentials.tests.conftest import PUBLIC, certify, sit
from credence.exams.tasks import send_result_released


def run_queued() -> list[str]:
    """Run the queued tasks as the worker would; their paths, in order."""
    done = []
    for queued in DBTaskResult.objects.order_by("enqueued_at", "id"):
        queued.task.call(**queued.args_kwargs["kwargs"])
        done.append(queued.task_path.rsplit(".", 1)[1])
    return done


def test_results_and_the_certificate_are_mailed(program, office, candidate):
    certify(candidate, office, "ml-expert", date(2026, 3, 1))
    assert mail.outbox == []  # queued with the change; the worker sends them
    assert run_queued() == [
        "send_result_released",
        "send_result_released",
        "send_certificate_issued",
    ]
    test, portfolio, issued = mail.outbox
    assert test.to == portfolio.to == issued.to == ["carla@example.invalid"]
    assert test.subject == "[Credence] Your result: Knowledge test, " + (
        "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"
    )
    assert "released: You passed. Your score: 84.00." in test.body
    assert f"on your path page: {PUBLIC}/path/\n" in test.body
    certificate = Certificate.objects.get(holder=candidate)
    assert issued.subject.startswith("[Credence] Your certificate: ")
    assert f"serial {certificate.serial}, valid until March 22, 2031." in issued.body
    assert f"{PUBLIC}/certificates/{certificate.serial}/\n" in issued.body
    assert f"certUrl={quote(PUBLIC, safe='')}%2Fcertificates%2F{certificate.serial}%2F" in (
        issued.body
    )
    assert (
        f"shows what you choose: {PUBLIC}/certificates/{certificate.serial}/evidence/\n"
        f"Choose what it shows before you share it: "
        f"{PUBLIC}/certificates/{certificate.serial}/evidence-choice/\n"
    ) in issued.body
    ((name, pdf, kind),) = issued.attachments
    assert (name, kind) == (f"{certificate.serial}.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-")


def test_a_failed_result_says_so_in_the_platforms_language(program, office, candidate, settings):
    settings.LANGUAGE_CODE = "de"
    sit(candidate, office, "ml-expert", "knowledge-test", date(2026, 3, 1), "41")
    (queued,) = DBTaskResult.objects.all()  # no certificate: only the result
    send_result_released.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.subject.startswith("[Credence] Ihr Ergebnis: ")
    assert "Sie haben nicht bestanden." in message.body


def test_no_mail_without_the_change(program, office, candidate):
    with pytest.raises(RuntimeError), transaction.atomic():
        certify(candidate, office, "ml-expert", date(2026, 3, 1))
        assert DBTaskResult.objects.count() == 3
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()
