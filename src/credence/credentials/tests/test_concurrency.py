"""Concurrent first uses sign a certificate once, and a fresh installation makes one key."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.credentials import services
from credence.credentials.models import Certificate, SigningKey
from credence.credentials.tests.conftest import certify


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_views_sign_once_with_one_key():
    call_command("program", "load", verbosity=0)
    office = User.objects.create_user("o@example.invalid", "x" * 12, full_name="O")
    holder = User.objects.create_user("h@example.invalid", "x" * 12, full_name="H")
    certify(holder, office, "nlp", date(2026, 3, 1))
    certificate = Certificate.objects.get(holder=holder)
    barrier = threading.Barrier(4)
    proofs: list[str] = []
    errors: list[BaseException] = []

    def view() -> None:
        try:
            barrier.wait()
            proofs.append(
                services.credential_issue(certificate=certificate)["proof"][0]["proofValue"]
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(proofs) == 4 and len(set(proofs)) == 1
    assert SigningKey.objects.count() == 1
    assert AuditEvent.objects.filter(action="credential.signed").count() == 1
