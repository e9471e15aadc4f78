"""Writes of the privacy app: export a person's data, request and withdraw an erasure, and
carry it out (``user_erase``). Each owns its transaction and writes its audit event in it;
audit events hold ids and decision values only, never a name or an address."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accommodations import api as accommodations_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.billing import api as billing_api
from credence.core.decisions import Refused, RuleRefused
from credence.core.personal_data import ErasureSummary
from credence.exams import api as exams_api
from credence.portfolios import api as portfolios_api
from credence.privacy import registry
from credence.privacy.models import ErasureRequest, ErasureStatus
from credence.privacy.policy import may_erase
from credence.privacy.selectors import erasure_facts, retention_days, user_data_json
from credence.recognition import api as recognition_api


class PrivacyError(Exception):
    """Bad input to a privacy service (wrong password, nothing to withdraw); nothing stored."""


class ErasureRefused(RuleRefused):
    """A rule refuses; carries the decision so the caller can say which and why."""


# --- export ------------------------------------------------------------------------------


@transaction.atomic
def user_export(*, user: User, acting_user: User | None) -> bytes:
    """The export as a ZIP: ``data.json`` and the person's files (claim evidence,
    certificates as PDF and signed JSON, invoices as PDF). Recorded in the audit trail."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", user_data_json(user))
        for section in registry.SECTIONS:
            files = getattr(section, "export_user_files", None)
            for path, content in files(user) if files else ():
                archive.writestr(path, content)
    record(action="user.data_exported", subject=user, actor=acting_user, subject_user=user)
    return buffer.getvalue()


# --- erasure -----------------------------------------------------------------------------


@transaction.atomic
def erasure_request(*, user: User, password: str, acting_user: User) -> ErasureRequest:
    """The person asks to be erased, confirming with their password."""
    if not user.check_password(password):
        raise PrivacyError(_("The password is not correct."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    pending = ErasureRequest.objects.filter(user=locked, status=ErasureStatus.PENDING).first()
    if pending is not None:
        return pending
    request = ErasureRequest.objects.create(user=locked, requested_at=timezone.now())
    record(
        action="user.erasure_requested",
        subject=request,
        actor=acting_user,
        subject_user=locked,
        after={"status": request.status, "grace_days": retention_days("erasure_grace")},
    )
    return request


@transaction.atomic
def erasure_withdraw(*, request: ErasureRequest, acting_user: User) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureStatus.PENDING:
        raise PrivacyError(_("Only a pending request can be withdrawn."))
    request.status = ErasureStatus.WITHDRAWN
    request.withdrawn_at = timezone.now()
    request.save(update_fields=["status", "withdrawn_at"])
    record(
        action="user.erasure_withdrawn",
        subject=request,
        actor=acting_user,
        subject_user=request.user,
        before={"status": ErasureStatus.PENDING},
        after={"status": request.status},
    )
    return request


@dataclass(frozen=True)
class Erasure:
    request: ErasureRequest
    summary: ErasureSummary


@transaction.atomic
def user_erase(*, user: User, acting_user: User, now: datetime | None = None) -> Erasure:
    """Carry out the person's pending erasure request in one transaction: every app removes
    or pseudonymizes its personal data, keeping what law or verification requires, and the
    account is pseudonymized in place (never deleted). Raises ``ErasureRefused`` (nothing
    changed) when a rule blocks it, ``PrivacyError`` when there is no pending request."""
    moment = now or timezone.now()
    locked = User.objects.select_for_update().get(pk=user.pk)
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(user=locked, status=ErasureStatus.PENDING)
        .first()
    )
    if request is None:
        raise PrivacyError(_("This person has no pending erasure request."))
    decision = may_erase(erasure_facts(locked, request), now=moment)
    if isinstance(decision, Refused):
        raise ErasureRefused(decision)
    summary: ErasureSummary = {}
    for section in registry.SECTIONS:
        summary.update(section.erase_user_data(locked, now=moment))
    request.status = ErasureStatus.CARRIED_OUT
    request.carried_out_at = moment
    request.carried_out_by = acting_user if getattr(acting_user, "pk", None) else None
    request.summary = summary
    request.save(update_fields=["status", "carried_out_at", "carried_out_by", "summary"])
    record(
        action="user.erased",
        subject=locked,
        actor=acting_user,
        subject_user=locked,
        before={"status": ErasureStatus.PENDING, "request": request.pk},
        after={"status": request.status, "request": request.pk, "models": sorted(summary)},
    )
    user.refresh_from_db()
    return Erasure(request=request, summary=summary)


# --- retention ---------------------------------------------------------------------------


def data_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Remove what has outlived its retention period (``CREDENCE_RETENTION``); returns how
    many records of each kind were (or, with ``dry_run``, would be) removed."""

    moment = now or timezone.now()
    today = timezone.localdate(moment)

    def before(kind: str) -> datetime | None:
        days = retention_days(kind)
        return None if days is None else moment - timedelta(days=days)

    done: dict[str, int] = {}
    with transaction.atomic():
        if (cutoff := before("exam_responses")) is not None:
            done["exam_responses"] = exams_api.responses_purge(cutoff=cutoff, dry_run=dry_run)
        if (cutoff := before("claims_evidence")) is not None:
            done["claims_evidence"] = recognition_api.evidence_purge(
                decided_before=cutoff, dry_run=dry_run
            )
        if (days := retention_days("accommodation_documents")) is not None:
            done["accommodation_documents"] = accommodations_api.documents_purge(
                ended_before=today - timedelta(days=days),
                decided_before=moment - timedelta(days=days),
                dry_run=dry_run,
            )
        if (days := retention_days("portfolio_reports")) is not None:
            done["portfolio_reports"] = portfolios_api.reports_purge(
                released_before=today - timedelta(days=days), dry_run=dry_run
            )
        if (days := retention_days("invoices")) is not None:
            done["invoices"] = billing_api.archived_invoices_purge(
                before=today - timedelta(days=days), dry_run=dry_run
            )
    return done
