"""Writes of the recognition app: loading the signal guide, and every state change of a
partial-credit claim (R10). Each service owns its transaction and writes its audit event in
it; the candidate's e-mail goes out only after the commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts.access import is_office
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.catalog.models import ExternalCertification
from credence.core.decisions import Refused, RuleRefused
from credence.core.public import mail_subject, public_url
from credence.exams import api as exams_api
from credence.exams.api import waiver_grant
from credence.recognition import evidence as evidence_store
from credence.recognition.models import (
    OPEN_CLAIM_STATUSES,
    Claim,
    ClaimEvidence,
    ClaimStatus,
    GuidancePage,
    GuideEntry,
    SignalCategoryNote,
    VerificationStatus,
)
from credence.recognition.policy import may_claim, may_claim_with_badge
from credence.recognition.verification import verify_open_badge

SIGNAL_GUIDE_FILE = Path(__file__).with_name("data") / "signal_guide.json"
ENTRY_FIELDS = (
    "name",
    "provider",
    "category",
    "cloud_platform",
    "position",
    "proves",
    "does_not_prove",
    "worth_pursuing_if",
    "not_worth_it_if",
    "signal_to_hiring_managers",
    "general_assessment",
    "better_alternatives",
    "why_avoid",
    "reality",
    "exception",
    "prerequisites",
    "study_time",
    "cost",
    "criteria_rationale",
)


class ClaimRefused(RuleRefused):
    """A claim the rules refuse (R10); carries the decision so the page can explain it."""


class ClaimStateError(Exception):
    """A claim is not in a state that allows this step (e.g. already decided)."""


@dataclass(frozen=True)
class GuideLoadResult:
    created: int
    updated: int
    unchanged: int


def _entry_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {field: data.get(field, [] if field in _LIST_FIELDS else "") for field in ENTRY_FIELDS}
    values.update(data["criteria"])
    return values


_LIST_FIELDS = {
    "proves",
    "does_not_prove",
    "worth_pursuing_if",
    "not_worth_it_if",
    "signal_to_hiring_managers",
    "general_assessment",
    "better_alternatives",
    "why_avoid",
}


@transaction.atomic
def signal_guide_load(
    *, path: Path | None = None, overwrite: bool = False, acting_user: User | None = None
) -> GuideLoadResult:
    """Create the guide's entries, category notes and guidance pages from the data file.

    Rows that exist are left alone (staff may have edited them) unless ``overwrite``. Loading
    twice changes nothing.
    """
    path = path or SIGNAL_GUIDE_FILE
    guide = json.loads(path.read_text(encoding="utf-8"))
    notes, pages, entries = _guide_translations(guide, path)
    created = updated = unchanged = 0

    def put(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> None:
        nonlocal created, updated, unchanged
        row = model.objects.filter(**lookup).first()
        if row is None:
            model.objects.create(**lookup, **values)
            created += 1
        elif overwrite and any(
            # the stored value, not a translation the active language would read
            row._meta.get_field(k).value_from_object(row) != v
            for k, v in values.items()
        ):
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
            updated += 1
        else:
            unchanged += 1

    for entry in guide["entries"]:
        values = _entry_values(entry) | {"translations": entries.get(entry["slug"], {})}
        put(GuideEntry, {"slug": entry["slug"]}, values)
    for note in guide["categories"]:
        put(
            SignalCategoryNote,
            {"category": note["code"]},
            {
                "title": note["title"],
                "description": note["description"],
                "translations": notes.get(note["code"], {}),
            },
        )
    for page in guide["guidance"]:
        put(
            GuidancePage,
            {"slug": page["slug"]},
            {
                "title": page["title"],
                "position": page["position"],
                "blocks": page["blocks"],
                "translations": pages.get(page["slug"], {}),
            },
        )
    result = GuideLoadResult(created, updated, unchanged)
    if created or updated:
        subject = GuideEntry.objects.order_by("pk").first() or GuidancePage.objects.first()
        assert subject is not None  # something was just created or updated
        record(
            action="signal_guide.loaded",
            subject=subject,
            actor=acting_user,
            after={"created": created, "updated": updated, "overwrite": overwrite},
        )
    return result


class GuideTranslationError(ValueError):
    """A translation file of the signal guide does not fit the guide; nothing is loaded."""


Translations = dict[str, dict[str, Any]]  # by slug or code: {"de": {field: text}}


def _guide_translations(
    guide: dict[str, Any], path: Path
) -> tuple[Translations, Translations, Translations]:
    """The category notes', guidance pages' and entries' translations from the files beside
    the guide named by language (``signal_guide.de.json``; decision 0037). A translation
    names notes, pages and entries the guide has and only the fields they have; a page's
    blocks come in the same order and kinds, an entry's lists with as many lines (a
    condition's text only: its code stays the guide's), or the file is refused."""
    notes: Translations = {}
    pages: Translations = {}
    entries: Translations = {}
    for language, _name in settings.LANGUAGES:
        file = path.with_name(f"{path.stem}.{language}.json")
        if language == settings.LANGUAGE_CODE or not file.exists():
            continue
        data = json.loads(file.read_text(encoding="utf-8"))
        for code, texts in _translated_notes(guide, data, file).items():
            notes.setdefault(code, {})[language] = texts
        for slug, texts in _translated_pages(guide, data, file).items():
            pages.setdefault(slug, {})[language] = texts
        for slug, texts in _translated_entries(guide, data, file).items():
            entries.setdefault(slug, {})[language] = texts
    return notes, pages, entries


def _refusal(file: Path, where: str, problem: str) -> GuideTranslationError:
    return GuideTranslationError(f"{file.name}: {where}: {problem}")


def _translated_notes(
    guide: dict[str, Any], data: dict[str, Any], file: Path
) -> dict[str, dict[str, str]]:
    """One translation file's category notes, by category code."""
    codes = {n["code"] for n in guide["categories"]}
    notes: dict[str, dict[str, str]] = {}
    for code, texts in data.get("categories", {}).items():
        if code not in codes:
            raise _refusal(file, f"categories.{code}", "the guide has no such category")
        if set(texts) - {"title", "description"}:
            raise _refusal(file, f"categories.{code}", "only title and description are translated")
        notes[code] = texts
    return notes


def _translated_pages(
    guide: dict[str, Any], data: dict[str, Any], file: Path
) -> dict[str, dict[str, Any]]:
    """One translation file's guidance pages, by slug: title and blocks, the blocks in the
    page's order and kinds."""
    originals = {p["slug"]: p for p in guide["guidance"]}
    pages: dict[str, dict[str, Any]] = {}
    for slug, texts in data.get("guidance", {}).items():
        original = originals.get(slug)
        if original is None:
            raise _refusal(file, f"guidance.{slug}", "the guide has no such page")
        if set(texts) - {"title", "blocks"}:
            raise _refusal(file, f"guidance.{slug}", "only title and blocks are translated")
        kinds = [b["kind"] for b in original["blocks"]]
        if "blocks" in texts and [b.get("kind") for b in texts["blocks"]] != kinds:
            raise _refusal(
                file,
                f"guidance.{slug}.blocks",
                f"the blocks must be those of the page, in its order: {', '.join(kinds)}",
            )
        pages[slug] = texts
    return pages


def _translated_entries(
    guide: dict[str, Any], data: dict[str, Any], file: Path
) -> dict[str, dict[str, Any]]:
    """One translation file's entries, by slug: the texts they have, lists line for line, a
    condition's text only (its code stays the guide's)."""
    guide_entries = {e["slug"]: e for e in guide["entries"]}
    entries: dict[str, dict[str, Any]] = {}
    for slug, texts in data.get("entries", {}).items():
        entry = guide_entries.get(slug)
        if entry is None:
            raise _refusal(file, f"entries.{slug}", "the guide has no such entry")
        entries[slug] = {
            field: _translated_text(entry, field, text, f"entries.{slug}.{field}", file)
            for field, text in texts.items()
        }
    return entries


def _translated_text(entry: dict[str, Any], field: str, text: Any, where: str, file: Path) -> Any:
    """One field of an entry, translated: a text for a text, as many lines for a list."""
    written = entry.get(field)
    if field not in ENTRY_FIELDS or field in _UNTRANSLATED or not written:
        raise _refusal(file, where, "the entry has no such text")
    if isinstance(written, list) != isinstance(text, list) or (
        isinstance(text, list) and len(text) != len(written)
    ):
        raise _refusal(
            file,
            where,
            f"give {len(written)} line(s), as the guide has"
            if isinstance(written, list)
            else "give one text, as the guide has",
        )
    if field in _CONDITIONS:
        return [c | {"text": t} for c, t in zip(written, text, strict=True)]
    return text


# an entry's fields that name (name, provider) or classify it, not translated
_UNTRANSLATED = {"slug", "name", "provider", "category", "cloud_platform", "position"}
_CONDITIONS = {"worth_pursuing_if", "not_worth_it_if"}


def _notify(claim: Claim, subject: str, body: str) -> None:
    """E-mail the candidate once the change is committed (never for a rolled-back one), with
    the link to the claim's page."""
    recipient = claim.candidate.email
    subject = mail_subject(subject)
    body += "\n\n" + _("Your claim: %(url)s") % {
        "url": public_url(reverse("recognition:claim", args=[claim.pk]))
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=False))


def _snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "status": claim.status,
        "external": claim.external.code if claim.external is not None else None,
        "other_name": claim.other_name,
        "issued_on": claim.issued_on.isoformat(),
        "expires_on": claim.expires_on.isoformat() if claim.expires_on else None,
        "evidence": claim.evidence.count(),
    }


def _require_staff(user: User) -> None:
    if not is_office(user):
        raise PermissionDenied(_("Only the program office decides partial-credit claims."))


def _attach(
    claim: Claim, uploads: Sequence[UploadedFile[bytes]], stored: list[str], today: date
) -> None:
    """Check every upload before storing any, then store them; ``stored`` collects names so
    the caller can remove the files if the transaction fails. A verified badge that has
    expired is refused like an expired certificate (R10)."""
    checked = [evidence_store.check_upload(upload) for upload in uploads]
    checks = {
        index: verify_open_badge(upload.data)
        for index, upload in enumerate(checked)
        if upload.kind == "open_badge"
    }
    for check in checks.values():
        decision = may_claim_with_badge(valid_until=check.valid_until, today=today)
        if isinstance(decision, Refused):
            raise ClaimRefused(decision)
    for index, upload in enumerate(checked):
        name = evidence_store.FOLDER.store(upload.data, upload.kind)
        stored.append(name)
        if index in checks:
            status, detail = checks[index].status, checks[index].detail
        else:
            status, detail = VerificationStatus.NOT_APPLICABLE, ""
        ClaimEvidence.objects.create(
            claim=claim,
            stored_name=name,
            original_name=upload.original_name,
            kind=upload.kind,
            size=len(upload.data),
            sha256=upload.sha256,
            verification=status,
            verification_detail=detail,
        )


def claim_file(
    *,
    candidate: User,
    external: ExternalCertification | None,
    other_name: str = "",
    other_provider: str = "",
    credential_id: str = "",
    credential_url: str = "",
    issued_on: date,
    expires_on: date | None,
    note: str = "",
    evidence: Sequence[UploadedFile[bytes]],
    acting_user: User,
    today: date | None = None,
) -> Claim:
    """File a claim (R10). The certificate must be valid today; at least one evidence file.

    Raises ``ClaimRefused`` (expired, future issue date), ``EvidenceRejected`` (bad file) or
    ``ValueError``; nothing is stored then, neither rows nor files.
    """
    day = today or timezone.localdate()
    decision = may_claim(issued_on=issued_on, expires_on=expires_on, today=day)
    if isinstance(decision, Refused):
        raise ClaimRefused(decision)
    if external is None and not other_name.strip():
        raise ValueError(_("Name the certification you claim."))
    if not credential_id.strip() and not credential_url.strip():
        raise ValueError(_("Give the credential's id or a URL where it can be checked."))
    if not evidence:
        raise ValueError(_("Upload the certificate as evidence."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                candidate=candidate,
                external=external,
                other_name="" if external else other_name.strip(),
                other_provider="" if external else other_provider.strip(),
                credential_id=credential_id.strip(),
                credential_url=credential_url.strip(),
                issued_on=issued_on,
                expires_on=expires_on,
                note=note.strip(),
            )
            _attach(claim, evidence, stored, day)
            record(
                action="claim.filed",
                subject=claim,
                actor=acting_user,
                subject_user=candidate,
                reason="R10",
                after=_snapshot(claim),
            )
            _notify(
                claim,
                _("Your partial-credit claim was received"),
                _(
                    "We received your claim for %(name)s. The program office will decide it "
                    "and tell you; you can follow it on your claims page."
                )
                % {"name": claim.certification_name},
            )
    except BaseException:
        for name in stored:
            evidence_store.FOLDER.discard(name)
        raise
    return claim


def _locked(claim: Claim) -> Claim:
    return (
        # Lock the claim row only: the external certification is an outer join, which
        # PostgreSQL cannot lock.
        Claim.objects.select_for_update(of=("self",))
        .select_related("candidate", "external")
        .get(pk=claim.pk)
    )


@transaction.atomic
def claim_request_info(*, claim: Claim, message: str, acting_user: User) -> Claim:
    """Staff ask the candidate for more (a clearer scan, the credential's URL, …)."""
    _require_staff(acting_user)
    if not message.strip():
        raise ValueError(_("Say what more you need."))
    claim = _locked(claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ClaimStateError(_("Only a submitted claim can be sent back for more information."))
    before = _snapshot(claim)
    claim.status = ClaimStatus.INFO_REQUESTED
    claim.staff_message = message.strip()
    claim.save(update_fields=["status", "staff_message"])
    record(
        action="claim.info_requested",
        subject=claim,
        actor=acting_user,
        subject_user=claim.candidate,
        reason=claim.staff_message,
        before=before,
        after=_snapshot(claim),
    )
    _notify(
        claim,
        _("Your partial-credit claim needs more information"),
        _("The program office asks about your claim for %(name)s:\n\n%(message)s")
        % {"name": claim.certification_name, "message": claim.staff_message},
    )
    return claim


def claim_respond(
    *, claim: Claim, note: str, evidence: Sequence[UploadedFile[bytes]], acting_user: User
) -> Claim:
    """The candidate answers a request for more information; the claim goes back to staff."""
    if not note.strip() and not evidence:
        raise ValueError(_("Add a note or a file."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            claim = _locked(claim)
            if claim.candidate_id != getattr(acting_user, "pk", None):
                raise PermissionDenied(_("This is not your claim."))
            if claim.status != ClaimStatus.INFO_REQUESTED:
                raise ClaimStateError(_("The program office has not asked for more on this claim."))
            before = _snapshot(claim)
            _attach(claim, evidence, stored, timezone.localdate())
            if note.strip():
                stamp = timezone.localdate().isoformat()
                claim.note = f"{claim.note}\n\n[{stamp}] {note.strip()}".strip()
            claim.status = ClaimStatus.SUBMITTED
            claim.save(update_fields=["status", "note"])
            record(
                action="claim.responded",
                subject=claim,
                actor=acting_user,
                subject_user=claim.candidate,
                before=before,
                after=_snapshot(claim),
            )
    except BaseException:
        for name in stored:
            evidence_store.FOLDER.discard(name)
        raise
    return claim


@transaction.atomic
def claim_approve(
    *,
    claim: Claim,
    certification: str,
    evaluation: str,
    acting_user: User,
    message: str = "",
    today: date | None = None,
) -> Claim:
    """Approve a claim: waive one evaluation of one certification (R10) via the exams app."""
    _require_staff(acting_user)
    claim = _locked(claim)
    if claim.status not in OPEN_CLAIM_STATUSES:
        raise ClaimStateError(_("This claim is already decided."))
    rules = catalog_api.program_rules()
    rules.certification(certification)  # KeyError for a code the program does not have
    rules.evaluation(evaluation)
    day = today or timezone.localdate()
    done = exams_api.completions(rules, exams_api.history_for(claim.candidate), certification)
    if evaluation in done:
        raise ClaimStateError(
            _("The candidate has already passed or been excused from this evaluation.")
        )
    before = _snapshot(claim)
    claim.waiver = waiver_grant(
        candidate=claim.candidate,
        certification=certification,
        evaluation=evaluation,
        acting_user=acting_user,
        reason=f"R10: partial-credit claim {claim.pk} ({claim.certification_name})",
        granted_on=day,
    )
    claim.status = ClaimStatus.APPROVED
    claim.staff_message = message.strip()
    claim.decided_by = acting_user
    claim.decided_at = timezone.now()
    claim.save(update_fields=["waiver", "status", "staff_message", "decided_by", "decided_at"])
    waived = {
        "certification": rules.certification(certification).name,
        "evaluation": rules.evaluation(evaluation).name,
    }
    record(
        action="claim.approved",
        subject=claim,
        actor=acting_user,
        subject_user=claim.candidate,
        reason="R10",
        before=before,
        after=_snapshot(claim) | {"waived": f"{certification}/{evaluation}"},
    )
    _notify(
        claim,
        _("Your partial-credit claim was approved"),
        _(
            "Your claim for %(name)s is approved: the %(evaluation)s of %(certification)s is "
            "waived. Your path shows it."
        )
        % {"name": claim.certification_name, **waived}
        + (f"\n\n{claim.staff_message}" if claim.staff_message else ""),
    )
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, reason: str, acting_user: User) -> Claim:
    _require_staff(acting_user)
    if not reason.strip():
        raise ValueError(_("A rejection needs a reason the candidate can read."))
    claim = _locked(claim)
    if claim.status not in OPEN_CLAIM_STATUSES:
        raise ClaimStateError(_("This claim is already decided."))
    before = _snapshot(claim)
    claim.status = ClaimStatus.REJECTED
    claim.staff_message = reason.strip()
    claim.decided_by = acting_user
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "staff_message", "decided_by", "decided_at"])
    record(
        action="claim.rejected",
        subject=claim,
        actor=acting_user,
        subject_user=claim.candidate,
        reason=claim.staff_message,
        before=before,
        after=_snapshot(claim),
    )
    _notify(
        claim,
        _("Your partial-credit claim was not approved"),
        _("Your claim for %(name)s was not approved. The program office's reason:\n\n%(reason)s")
        % {"name": claim.certification_name, "reason": claim.staff_message},
    )
    return claim
