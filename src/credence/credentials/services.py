"""Writes of the credentials app: awarding certificates by R5, R6 and R12; signing keys; the
signed credential of each certificate; revocation and suspension; expiry reminders."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.credentials import chain, dataintegrity, keystore, selectors, statuslist
from credence.credentials.models import Certificate, EvidenceChoice, ExpiryReminder, SigningKey
from credence.credentials.multikey import public_multikey
from credence.credentials.openbadges import CredentialFacts, build_credential
from credence.credentials.policy import (
    Award,
    PublicSet,
    certificate_due,
    composite_awards,
    evidence_choice_allowed,
    expiry_reminders_due,
    resting_on,
)
from credence.credentials.records import certificate_record, certificate_records_for
from credence.credentials.statuses import StatusPurpose
from credence.credentials.tasks import send_certificate_issued, send_expiry_reminder
from credence.exams import api as exams_api


class StatusChangeRefused(Exception):
    """A revocation, suspension or reinstatement that does not apply to the certificate."""


def _free_status_index() -> int:
    # Random, not sequential: a verifier fetching the list learns nothing about when or in
    # which order certificates were issued (Bitstring Status List, privacy considerations).
    taken = set(
        Certificate.objects.filter(status_index__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    if len(taken) >= statuslist.LIST_SIZE:
        raise RuntimeError("the status list is full; a second list is needed")
    while True:
        index = secrets.randbelow(statuslist.LIST_SIZE)
        if index not in taken:
            return index


def _create(*, candidate: User, award: Award, acting_user: User | None) -> Certificate:
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
        status_index=_free_status_index(),
    )
    # mailed by the task worker (with the PDF); the task is a row of this transaction
    send_certificate_issued.enqueue(certificate_id=certificate.pk)
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
    *, candidate: User, today: date, acting_user: User | None = None
) -> list[Certificate]:
    """Award every certificate the candidate's history earns up to ``today`` and is not yet
    awarded: certifications by R5/R12, then the composite by R6. Safe to call any number of
    times; the candidate's row is locked so two results released at once award only once.

    The signed credential is made on first use (``credential_issue``), not here: awarding
    must not depend on the signing key being at hand (docs/decisions/0016)."""
    accounts_api.user_lock(candidate.pk)
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


def certificates_withdraw(
    *,
    candidate: User,
    certification: str,
    since: date,
    reason: str,
    acting_user: User,
    today: date,
) -> list[str]:
    """A pass released on ``since`` is now a fail (a challenge decision, C2): withdraw the
    certificate it earned and a composite award that rested on that one, each revoked
    through the status list like any revocation and audited there. Returns the serials
    withdrawn (none when no certificate rested on the pass)."""
    accounts_api.user_lock(candidate.pk)
    withdrawn = []
    for held in resting_on(
        catalog_api.program_rules(), certificate_records_for(candidate), certification, since
    ):
        certificate = Certificate.objects.get(
            holder=candidate, award=held.award, issued_on=held.issued_on
        )
        certificate_revoke(
            certificate=certificate, reason=reason, acting_user=acting_user, today=today
        )
        withdrawn.append(certificate.serial)
    return withdrawn


# --- signing keys ------------------------------------------------------------------------


def _new_key(now: datetime) -> SigningKey:
    private_key = Ed25519PrivateKey.generate()
    key_id = f"key-{now:%Y%m%d}-{secrets.token_hex(4)}"
    keystore.store(key_id, private_key)
    return SigningKey.objects.create(
        key_id=key_id,
        public_key_multibase=public_multikey(private_key.public_key()),
        created_at=now,
    )


@transaction.atomic
def signing_key_create(*, acting_user: User | None, now: datetime | None = None) -> SigningKey:
    """Create the issuer's first signing key. Refused when one signs already: rotate it."""
    if SigningKey.objects.select_for_update().filter(signing=True).exists():
        raise StatusChangeRefused(
            _("A signing key exists already; use `credence keys rotate` to replace it.")
        )
    key = _new_key(now or timezone.now())
    record(
        action="signing_key.created",
        subject=key,
        actor=acting_user,
        after={"key_id": key.key_id, "public_key": key.public_key_multibase},
    )
    return key


@transaction.atomic
def signing_key_rotate(*, acting_user: User | None, now: datetime | None = None) -> SigningKey:
    """Replace the signing key. The old one stops signing but stays in the DID document, so
    every credential it signed keeps verifying."""
    moment = now or timezone.now()
    old = SigningKey.objects.select_for_update().filter(signing=True).first()
    if old is not None:
        old.signing = False
        old.rotated_at = moment
        old.save(update_fields=["signing", "rotated_at"])
    key = _new_key(moment)
    record(
        action="signing_key.rotated",
        subject=key,
        actor=acting_user,
        before={"key_id": old.key_id} if old else None,
        after={"key_id": key.key_id, "public_key": key.public_key_multibase},
    )
    return key


def _signing_key() -> SigningKey:
    key = selectors.signing_key()
    if key is not None:
        return key
    # First use on a fresh installation: make the first key rather than fail to issue.
    try:
        with transaction.atomic():
            return signing_key_create(acting_user=None)
    except (StatusChangeRefused, IntegrityError):
        key = selectors.signing_key()
        assert key is not None
        return key


# --- the signed credential ---------------------------------------------------------------


def credential_facts(certificate: Certificate) -> CredentialFacts:
    rules = catalog_api.rules_for(certificate.program)
    award = selectors.describe_award(rules, certificate.award)
    valid_from, valid_until = selectors.day_bounds(
        rules, certificate.issued_on, certificate.valid_until
    )
    holder = certificate.holder
    # what the holder approved by now is all the credential carries (rule E1)
    choice = selectors.evidence_choice_for(certificate)
    return CredentialFacts(
        credential_id=selectors.verification_url(certificate.serial),
        issuer_did=selectors.issuer_did(),
        issuer_name=certificate.program.provider,
        issuer_url=selectors.public_url("/"),
        issuer_email=certificate.program.contact_email,
        holder_name=(holder.full_name or holder.email) if choice.name else None,
        holder_email=holder.email,
        salt=certificate.serial,
        achievement_id=selectors.achievement_url(certificate.award),
        achievement_name=award.name,
        achievement_description=award.description,
        criteria=award.criteria,
        proves=award.proves,
        does_not_prove=award.does_not_prove,
        valid_from=valid_from,
        valid_until=valid_until,
        status_list_url=selectors.status_list_url(StatusPurpose.MESSAGE),
        status_index=certificate.status_index or 0,
        status_reference=selectors.verification_url(certificate.serial),
        evidence=chain.approved_for(certificate, rules, choice),
    )


@transaction.atomic
def credential_issue(*, certificate: Certificate, now: datetime | None = None) -> dict[str, Any]:
    """The certificate's signed Open Badges 3.0 credential, signed on first use with the
    current key and kept unchanged afterwards. Raises ``linkeddata.JsonLdError`` (and stores
    nothing) if the credential would use a term its contexts do not define."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("holder", "program", "certification")
        .get(pk=certificate.pk)
    )
    if certificate.credential is not None:
        signed: dict[str, Any] = certificate.credential
        return signed
    if certificate.status_index is None:
        certificate.status_index = _free_status_index()
    key = _signing_key()
    moment = now or timezone.now()
    # signed once, on first use, by whoever asks first: in the program file's own language,
    # whatever language that visitor reads (decision 0037)
    with translation.override(None):
        facts = credential_facts(certificate)
    signed = dataintegrity.sign(
        build_credential(facts),
        private_key=keystore.load(key.key_id),
        verification_method=selectors.verification_method_id(key),
        created=moment,
    )
    # Open Badges 3.0 writes the proof as a list (1EdTech's JSON Schema: "proof" is an array
    # of Proof); a Data Integrity proof does not sign the document's "proof" entry, so the
    # list holds exactly the proof just made (decision 0049)
    signed["proof"] = [signed["proof"]]
    certificate.credential = signed
    certificate.save(update_fields=["credential", "status_index"])
    record(
        action="credential.signed",
        subject=certificate,
        subject_user=certificate.holder,
        after={"serial": certificate.serial, "key_id": key.key_id},
    )
    return signed


def credentials_issue_all() -> int:
    """Sign every certificate that has no credential yet; returns how many were signed."""
    pending = list(Certificate.objects.filter(credential__isnull=True).order_by("id"))
    for certificate in pending:
        credential_issue(certificate=certificate)
    return len(pending)


# --- what the holder makes public (decision 0054) ---------------------------------------


class EvidenceChoiceRefused(Exception):
    """A choice rule E2 refuses; the message names the rule."""


def _choice_snapshot(row: EvidenceChoice | None) -> dict[str, bool] | None:
    if row is None:
        return None
    return {
        "name": row.show_name,
        "bands": row.show_bands,
        "repository": row.show_repository,
        "report": row.show_report,
    }


@transaction.atomic
def evidence_choice_set(
    *,
    holder: User,
    choice: PublicSet,
    certificate: Certificate | None = None,
    acting_user: User,
) -> EvidenceChoice:
    """The holder's choice of what is public: for ``certificate``, or, without one, for every
    certificate without its own (made before issuance, it decides what the credential
    carries). Only the holder chooses (the view checks it); audited with before and after."""
    decision = evidence_choice_allowed(choice)
    if not decision.allowed:
        raise EvidenceChoiceRefused(f"{decision.rule}: {decision.reason}")
    if certificate is not None and certificate.holder_id != holder.pk:
        raise EvidenceChoiceRefused(_("Only the certificate's holder chooses what it shows."))
    accounts_api.user_lock(holder.pk)
    row = EvidenceChoice.objects.filter(holder=holder, certificate=certificate).first()
    before = _choice_snapshot(row)
    if row is None:
        row = EvidenceChoice(holder=holder, certificate=certificate)
    row.show_name = choice.name
    row.show_bands = choice.bands
    row.show_repository = choice.repository
    row.show_report = choice.report
    row.save()
    signed = certificate is not None and certificate.credential is not None
    record(
        action="evidence_choice.changed",
        subject=certificate if certificate is not None else row,
        actor=acting_user,
        subject_user=holder,
        reason=(
            "E1: the evidence page shows the new choice; the credential was signed already"
            if signed
            else "E1: the evidence page and credentials signed from now on carry this choice"
        ),
        before=before,
        after=_choice_snapshot(row),
    )
    return row


# --- revocation and suspension -----------------------------------------------------------


def _status_snapshot(certificate: Certificate) -> dict[str, Any]:
    return {
        "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
        "suspended_on": certificate.suspended_on.isoformat() if certificate.suspended_on else None,
        "reason": certificate.status_reason,
    }


def _locked(certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise StatusChangeRefused(_("A reason is required; it is recorded in the audit trail."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_on is not None:
        raise StatusChangeRefused(_("The certificate is revoked; revocation is final."))
    return locked


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, acting_user: User, today: date | None = None
) -> Certificate:
    """Revoke for good: the status lists say so at once (the message list's entry is 0x2,
    the revocation list's bit of a credential signed before decision 0049 is set)."""
    locked = _locked(certificate, reason)
    before = _status_snapshot(locked)
    locked.revoked_on = today or timezone.localdate()
    locked.suspended_on = None
    locked.status_reason = reason.strip()
    locked.save(update_fields=["revoked_on", "suspended_on", "status_reason"])
    record(
        action="certificate.revoked",
        subject=locked,
        actor=acting_user,
        subject_user=locked.holder,
        reason=locked.status_reason,
        before=before,
        after=_status_snapshot(locked),
    )
    return locked


@transaction.atomic
def certificate_suspend(
    *, certificate: Certificate, reason: str, acting_user: User, today: date | None = None
) -> Certificate:
    """Suspend (e.g. while an irregularity is investigated); ``certificate_reinstate`` lifts it."""
    locked = _locked(certificate, reason)
    if locked.suspended_on is not None:
        raise StatusChangeRefused(_("The certificate is suspended already."))
    before = _status_snapshot(locked)
    locked.suspended_on = today or timezone.localdate()
    locked.status_reason = reason.strip()
    locked.save(update_fields=["suspended_on", "status_reason"])
    record(
        action="certificate.suspended",
        subject=locked,
        actor=acting_user,
        subject_user=locked.holder,
        reason=locked.status_reason,
        before=before,
        after=_status_snapshot(locked),
    )
    return locked


@transaction.atomic
def certificate_reinstate(
    *, certificate: Certificate, reason: str, acting_user: User
) -> Certificate:
    """Lift a suspension."""
    locked = _locked(certificate, reason)
    if locked.suspended_on is None:
        raise StatusChangeRefused(_("The certificate is not suspended."))
    before = _status_snapshot(locked)
    locked.suspended_on = None
    locked.status_reason = reason.strip()
    locked.save(update_fields=["suspended_on", "status_reason"])
    record(
        action="certificate.reinstated",
        subject=locked,
        actor=acting_user,
        subject_user=locked.holder,
        reason=locked.status_reason,
        before=before,
        after=_status_snapshot(locked),
    )
    return locked


# --- expiry ------------------------------------------------------------------------------


def reminders_send_due(*, today: date) -> list[ExpiryReminder]:
    """Queue the expiry reminders due on ``today`` (R12 thresholds from the program file).
    Idempotent: a reminder row per certificate and threshold is written once, and its mail is
    enqueued only when that row is new."""
    created: list[ExpiryReminder] = []
    horizon = today + timedelta(days=max(catalog_api.program_rules().reminder_days, default=0))
    candidates = Certificate.objects.filter(
        revoked_on__isnull=True,
        suspended_on__isnull=True,
        issued_on__lte=today,
        valid_until__gte=today,
        valid_until__lte=horizon,
    ).select_related("program")
    for certificate in candidates:
        rules = catalog_api.rules_for(certificate.program)
        sent = certificate.reminders.values_list("days_before", flat=True)
        for days in expiry_reminders_due(
            certificate_record(certificate), rules.reminder_days, sent, today
        ):
            with transaction.atomic():
                reminder, new = ExpiryReminder.objects.get_or_create(
                    certificate=certificate, days_before=days
                )
                if new:
                    record(
                        action="certificate.expiry_reminder",
                        subject=certificate,
                        subject_user=certificate.holder,
                        after={"days_before": days},
                    )
                    transaction.on_commit(
                        partial(send_expiry_reminder.enqueue, reminder_id=reminder.pk)
                    )
                    created.append(reminder)
    return created


def composites_recompute(*, today: date) -> list[Certificate]:
    """Recompute the AI Engineer award (R6/R12) for everyone whose certificate lapsed in the
    last 31 days: a lapsed composite is re-awarded when its components still hold. Run daily
    (`credence credentials remind`); the month's slack covers missed runs."""
    holders = (
        Certificate.objects.filter(
            valid_until__lt=today, valid_until__gte=today - timedelta(days=31)
        )
        .values_list("holder", flat=True)
        .distinct()
    )
    awarded: list[Certificate] = []
    for holder in get_user_model().objects.filter(pk__in=list(holders)):
        awarded += certificates_award_due(candidate=holder, today=today)
    return awarded
