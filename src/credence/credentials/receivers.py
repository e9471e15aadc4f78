"""The credentials app's part of a result's consequences: receivers of the exams app's events
and the provider of its certificate port (decision 0055), connected in
``CredentialsConfig.ready()``. Each receiver calls one credentials service, inside the exams
service's transaction, and returns the serials it awarded or withdrew: the exams app tells
the candidate and the challenge decision's audit event lists them."""

from __future__ import annotations

from datetime import date
from typing import Any

from credence.credentials.records import certificate_records_for
from credence.exams import api as exams_api


def _award_due(
    sender: Any, *, candidate: Any, today: date, acting_user: Any, **_: Any
) -> list[str]:
    # Imported when an event arrives, not at the top: this module is imported at start-up
    # (``ready``), and the services bring the signing and PDF stack (cryptography, fpdf,
    # numpy), which `credence --help` must not load (issue 14). Not an import cycle.
    from credence.credentials import services

    awarded = services.certificates_award_due(
        candidate=candidate, today=today, acting_user=acting_user
    )
    return [certificate.serial for certificate in awarded]


def _withdraw(
    sender: Any,
    *,
    attempt: Any,
    since: date,
    today: date,
    reason: str,
    acting_user: Any,
    **_: Any,
) -> list[str]:
    from credence.credentials import services  # see _award_due

    return services.certificates_withdraw(
        candidate=attempt.candidate,
        certification=attempt.certification.code,
        since=since,
        reason=reason,
        acting_user=acting_user,
        today=today,
    )


def connect() -> None:
    exams_api.provide_certificates(certificate_records_for)
    exams_api.events.pass_withdrawn.connect(_withdraw, dispatch_uid="credentials.withdraw")
    exams_api.events.completions_changed.connect(_award_due, dispatch_uid="credentials.award")
