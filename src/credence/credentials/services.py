"""Writes of the credentials app: awarding certificates by R5, R6 and R12."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.credentials.models import Certificate
from credence.credentials.policy import Award, certificate_due, composite_awards
from credence.credentials.selectors import certificate_records_for
from credence.exams import api as exams_api


def _create(*, candidate: Any, award: Award, acting_user: Any) -> Certificate:
    program = catalog_api.program_model()
    certification = catalog_api.certification_model(award.award)
    renews = (
        Certificate.objects.get(
            holder=candidate, award=award.renews.award, issued_on=award.renews.issued_on
        )
        if award.renews is not None
        else None
    )
    certificate = Certificate.objects.create(
        holder=candidate,
        program=program,
        award=award.award,
        certification=certification,
        rule=award.rule,
        issued_on=award.issued_on,
        valid_until=award.valid_until,
        renews=renews,
    )
    record(
        action="certificate.awarded",
        subject=certificate,
        actor=acting_user,
        subject_user=candidate,
        reason=f"{award.rule}: {award.award} issued {award.issued_on}",
        after={
            "serial": certificate.serial,
            "award": award.award,
            "issued_on": award.issued_on.isoformat(),
            "valid_until": award.valid_until.isoformat(),
            "rule": award.rule,
        },
    )
    return certificate


@transaction.atomic
def certificates_award_due(
    *, candidate: Any, today: date, acting_user: Any = None
) -> list[Certificate]:
    """Award every certificate the candidate's history earns up to ``today`` and is not yet
    awarded: certifications by R5/R12, then the composite by R6. Safe to call any number of
    times; the candidate's row is locked so two results released at once award only once."""
    get_user_model().objects.select_for_update().filter(pk=candidate.pk).first()
    rules = catalog_api.program_rules()
    history = exams_api.history_for(candidate)
    awarded: list[Certificate] = []
    for certification in rules.certifications:
        done = exams_api.completions(rules, history, certification.code)
        award = certificate_due(rules, history.certificates, certification.code, done)
        if award is not None and award.issued_on <= today:
            awarded.append(_create(candidate=candidate, award=award, acting_user=acting_user))
    records = certificate_records_for(candidate)
    stored = {(r.award, r.issued_on) for r in records}
    for award in composite_awards(rules, records, until=today):
        if (award.award, award.issued_on) not in stored:
            awarded.append(_create(candidate=candidate, award=award, acting_user=acting_user))
    return awarded
