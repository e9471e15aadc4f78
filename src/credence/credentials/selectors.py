"""Reads of the credentials app: certificates, the issuer's DID, status lists, verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BooleanField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.catalog import api as catalog_api
from credence.catalog.policy import CertificationSpec, ProgramRules
from credence.core.public import public_url
from credence.credentials import dataintegrity, keystore, statuslist
from credence.credentials.models import Certificate, EvidenceChoice, SigningKey
from credence.credentials.openbadges import (
    COMMIT,
    CONTEXT,
    REPOSITORY,
    EvidenceFacts,
    approved_evidence,
    build_status_list_credential,
    chain_facts,
)
from credence.credentials.policy import (
    DEFAULT_PUBLIC,
    PublicSet,
    score_band,
)
from credence.credentials.statuses import (
    REVOKED,
    STATUS_MESSAGES,
    STATUS_SIZE,
    SUSPENDED,
    Standing,
    StatusPurpose,
)
from credence.credentials.verification import (
    VerificationReport,
    time_phase,
    verify_credential,
)
from credence.exams import api as exams_api
from credence.portfolios import api as portfolios_api
from credence.psychometrics import api as psychometrics_api


def certificates_for(holder: User) -> list[Certificate]:
    return list(
        Certificate.objects.filter(holder=holder)
        .select_related("certification")
        .order_by("-issued_on", "award")
    )


def certificate_get(serial: str) -> Certificate:
    """The certificate with ``serial``; raises Certificate.DoesNotExist."""
    return Certificate.objects.select_related("holder", "program").get(
        serial=serial.strip().upper()
    )


# What the public page and its JSON read of the certificate, its holder and its program
# (``verification_for``; signing reads the certificate afresh, whole). Building the query
# and its model instances for all 51 columns of the three rows took about a third more time.
_VERIFICATION_COLUMNS = (
    *("serial", "award", "certification", "issued_on", "valid_until", "status_reason"),
    *("credential", "holder__full_name", "holder__email", "program__name"),
    *("program__provider", "program__contact_email", "program__rules_version"),
    "program__translations",  # the program's name in the reader's language (decision 0037)
)


def _shows_name() -> Coalesce:
    """Whether the holder made their name public (rule E1): the certificate's own choice,
    else the holder's for all, else the default; read in the certificate's own query."""
    choices = EvidenceChoice.objects.filter(holder=OuterRef("holder"))
    return Coalesce(
        Subquery(choices.filter(certificate=OuterRef("pk")).values("show_name")[:1]),
        Subquery(choices.filter(certificate__isnull=True).values("show_name")[:1]),
        Value(DEFAULT_PUBLIC.name),
        output_field=BooleanField(),
    )


def certificate_for_verification(serial: str) -> Certificate:
    """The certificate with ``serial`` with what ``verification_for`` reads (other columns
    are read on first use), and whether its holder's name is public (``shows_name``); raises
    Certificate.DoesNotExist."""
    return (
        Certificate.objects.select_related("holder", "program")
        .only(*_VERIFICATION_COLUMNS)
        .annotate(shows_name=_shows_name())
        .get(serial=serial.strip().upper())
    )


# --- the issuer --------------------------------------------------------------------------


def issuer_did() -> str:
    # did:web encodes a port's colon as %3A (did:web method specification, section 3.1)
    return "did:web:" + quote(settings.CREDENCE_ISSUER_DOMAIN, safe=".-")


def verification_method_id(key: SigningKey) -> str:
    return f"{issuer_did()}#{key.key_id}"


def did_document(keys: list[SigningKey] | None = None) -> dict[str, Any]:
    """The issuer's DID document: every key, current and rotated, may assert credentials, so
    everything a rotated key signed still verifies. ``keys``: ``signing_keys()`` when read
    already."""
    did = issuer_did()
    keys = signing_keys() if keys is None else keys
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": verification_method_id(key),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key_multibase,
            }
            for key in keys
        ],
        "assertionMethod": [verification_method_id(key) for key in keys],
    }


def signing_keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("created_at", "id"))


def signing_key() -> SigningKey | None:
    return SigningKey.objects.filter(signing=True).first()


def status_list_url(purpose: str) -> str:
    return public_url(reverse("credentials:status-list", args=[purpose]))


def achievement_url(award: str) -> str:
    return public_url(reverse("credentials:achievement", args=[award]))


def verification_url(serial: str) -> str:
    return public_url(reverse("credentials:verify", args=[serial]))


def evidence_page_url(serial: str, evaluation: str = "") -> str:
    """The public evidence page of a certificate; with ``evaluation``, its part about it."""
    url = public_url(reverse("credentials:evidence", args=[serial]))
    return f"{url}#{evaluation}" if evaluation else url


# Each certificate has one index, the same in every list: its entry in the message list for
# a credential signed since decision 0049 closed its deviation, its bits in the revocation and
# suspension lists for one signed before. All three are made from the same two dates, so they
# never disagree and change in the transaction that changes the certificate.
StatusValues = tuple[tuple[int, int], ...]  # (index, value), by index


def status_list_values() -> dict[str, StatusValues]:
    """For each status list, the entries that are not zero: in the message list the
    certificate's standing (suspended, revoked), in the revocation and suspension lists their
    bit (revoked; suspended now). All three from one query."""
    values: dict[str, list[tuple[int, int]]] = {purpose: [] for purpose in StatusPurpose.values}
    rows = (
        Certificate.objects.filter(status_index__isnull=False)
        .filter(Q(revoked_on__isnull=False) | Q(suspended_on__isnull=False))
        .values_list("status_index", "revoked_on", "suspended_on")
        .order_by()  # the model's ordering would join the holders
    )
    for index, revoked_on, suspended_on in rows:
        assert index is not None  # only certificates with a status index are read
        standing = REVOKED if revoked_on is not None else SUSPENDED
        values[StatusPurpose.MESSAGE].append((index, STATUS_MESSAGES.index(standing)))
        if revoked_on is not None:
            values[StatusPurpose.REVOCATION].append((index, 1))
        if suspended_on is not None:
            values[StatusPurpose.SUSPENSION].append((index, 1))
    return {purpose: tuple(sorted(entries)) for purpose, entries in values.items()}


def status_size(purpose: str) -> int:
    """The bits of one entry in the list for ``purpose``."""
    return STATUS_SIZE if purpose == StatusPurpose.MESSAGE else 1


# --- what a certificate states -----------------------------------------------------------


def day_bounds(rules: ProgramRules, first: date, last: date) -> tuple[datetime, datetime]:
    """From the first moment of ``first`` to the last second of ``last`` in the program's time
    zone: a certificate is valid on every day up to and including its valid-until day
    (docs/decisions/0003)."""
    zone = ZoneInfo(rules.time_zone)
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone) - timedelta(seconds=1)
    return start, end


@dataclass(frozen=True)
class AwardDescription:
    """What a certificate's award is, proves and does not prove, for people and the badge."""

    code: str
    name: str
    description: str
    criteria: str
    proves: tuple[str, ...]
    does_not_prove: tuple[str, ...]


def describe_award(rules: ProgramRules, award: str) -> AwardDescription:
    if award == rules.composite.code:
        return _describe_composite(rules)
    spec: CertificationSpec = rules.certification(award)
    names = " and ".join(e.name.lower() for e in rules.evaluations_in_order())
    return AwardDescription(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        criteria=(
            f"Awarded by {rules.provider} when the candidate passed (or was exempted from, on "
            f"recognised prior certification) the {names} of this certification."
        ),
        proves=spec.proves,
        does_not_prove=spec.does_not_prove,
    )


def _describe_composite(rules: ProgramRules) -> AwardDescription:
    # The program file states proves/does_not_prove per certification; the composite's
    # follow from its components (docs/decisions/0016). In the reader's language on pages;
    # a credential is signed with translation off, in English (decision 0037).
    composite = rules.composite
    facts = {
        "program": rules.name,
        "provider": rules.provider,
        "required": ", ".join(rules.certification(c).name for c in composite.required),
        "electives": composite.min_electives,
    }
    return AwardDescription(
        code=composite.code,
        name=composite.name,
        description=_(
            "Holds valid %(program)s certificates in all required certifications and at least "
            "%(electives)s electives."
        )
        % facts,
        criteria=_(
            "Awarded by %(provider)s on the first day the holder held valid certificates for "
            "%(required)s and at least %(electives)s of the electives."
        )
        % facts,
        proves=(
            _("Held, on the day of issue, valid certificates in %(required)s") % facts,
            _(
                "Held, on the day of issue, valid certificates in at least %(electives)s "
                "electives, each earned by a proctored test and a portfolio interview"
            )
            % facts,
        ),
        does_not_prove=(
            _("Anything beyond what each component certificate proves"),
            _("That each component certificate is still valid today: see each one's own page"),
            _("Experience running AI systems in production at scale"),
        ),
    )


COMPONENT_GENRE = "Component certificate"


def evidence_for(certificate: Certificate, rules: ProgramRules) -> tuple[EvidenceFacts, ...]:
    """The evidence behind a certificate: for a certification, each evaluation of its cycle
    with the score band (or the waiver); for the composite award, its component certificates
    valid on the day of issue."""
    if certificate.award == rules.composite.code:
        return tuple(
            EvidenceFacts(
                name=c.certification.name if c.certification else c.award,
                genre=COMPONENT_GENRE,
                description=f"Certificate {c.serial}, valid {c.issued_on} to {c.valid_until}",
                url=verification_url(c.serial),
                day=c.issued_on,
                serial=c.serial,
                until=c.valid_until,
            )
            for c in Certificate.objects.filter(
                holder=certificate.holder,
                certification__isnull=False,
                issued_on__lte=certificate.issued_on,
                valid_until__gte=certificate.issued_on,
            )
            .select_related("certification")
            .order_by("certification__position")
        )
    previous = (
        Certificate.objects.filter(
            holder=certificate.holder, award=certificate.award, issued_on__lt=certificate.issued_on
        )
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
        .first()
    )
    history = exams_api.history_for(certificate.holder)
    facts: list[EvidenceFacts] = []
    for evaluation in rules.evaluations_in_order():

        def in_cycle(day: date | None) -> bool:
            return (
                day is not None
                and (previous is None or day > previous)
                and (day <= certificate.issued_on)
            )

        passed = [
            a
            for a in history.attempts
            if a.certification == certificate.award
            and a.evaluation == evaluation.code
            and a.status == "passed"
            and a.score is not None
            and in_cycle(a.released_on)
        ]
        waived = [
            w
            for w in history.waivers
            if w.certification == certificate.award
            and w.evaluation == evaluation.code
            and in_cycle(w.granted_on)
        ]
        mark = rules.pass_mark(certificate.award, evaluation.code)
        if passed:
            best = max(passed, key=lambda a: a.released_on or a.held_on)
            assert best.score is not None
            url, narrative = _repository_at_commit(certificate, best.held_on, best.released_on)
            facts.append(
                EvidenceFacts(
                    name=evaluation.name,
                    genre=evaluation.name,
                    description=(
                        f"Passed on {best.released_on}; score band {score_band(best.score)} "
                        f"(pass mark {mark.normalize():f})"
                    ),
                    url=url,
                    narrative=narrative,
                    day=best.released_on,
                    score_band=score_band(best.score),
                    pass_mark=f"{mark.normalize():f}",
                    evaluation=evaluation.code,
                    held_on=best.held_on,
                    sitting=best.sitting_id,
                )
            )
        elif waived:
            facts.append(
                EvidenceFacts(
                    name=evaluation.name,
                    genre=evaluation.name,
                    description=f"Waived on {waived[-1].granted_on} for recognised prior "
                    "certification (partial credit)",
                    day=waived[-1].granted_on,
                    waived=True,
                )
            )
    return tuple(facts)


def _repository_at_commit(
    certificate: Certificate, held_on: date, released_on: date | None
) -> tuple[str | None, str]:
    """The portfolio repository at the evaluated commit behind a passed attempt, when the
    attempt was a portfolio submission: a link to that commit's tree, and a sentence."""
    submission = (
        portfolios_api.submissions_of(certificate.holder)
        .filter(
            certification__code=certificate.award,
            attempt__held_on=held_on,
            attempt__released_on=released_on,
            attempt__status="passed",
        )
        .first()
    )
    if submission is None:
        return None, ""
    repository = submission.url.rstrip("/").removesuffix(".git")
    narrative = f"Portfolio repository {repository} at commit {submission.commit}"
    if not repository.startswith("https://"):
        return None, narrative
    return f"{repository}/tree/{submission.commit}", narrative


def evidence_in(credential: dict[str, Any]) -> tuple[EvidenceFacts, ...]:
    """The evidence a signed credential carries (with the repository and commit its
    narrative states, decision 0054)."""
    items = []
    for e in credential.get("evidence", []):
        if not isinstance(e, dict):
            continue
        narrative = str(e.get("narrative", ""))
        facts = chain_facts(narrative)
        items.append(
            EvidenceFacts(
                name=str(e.get("name", "")),
                genre=str(e.get("genre", "")),
                description=str(e.get("description", "")),
                url=e.get("id"),
                narrative=narrative,
                repository=facts.get(REPOSITORY, ""),
                commit=facts.get(COMMIT, ""),
            )
        )
    return tuple(items)


# --- what the holder makes public (decision 0054) ------------------------------------------


def _public_set(row: EvidenceChoice) -> PublicSet:
    return PublicSet(
        name=row.show_name,
        bands=row.show_bands,
        repository=row.show_repository,
        report=row.show_report,
    )


def holder_evidence_choice(holder: User) -> PublicSet:
    """The holder's choice for every certificate without its own (the default before one)."""
    row = EvidenceChoice.objects.filter(holder=holder, certificate__isnull=True).first()
    return _public_set(row) if row else DEFAULT_PUBLIC


def evidence_choice_for(certificate: Certificate) -> PublicSet:
    """What the holder approves for ``certificate``: its own choice, else theirs for all."""
    rows = {
        row.certificate_id: row
        for row in EvidenceChoice.objects.filter(holder_id=certificate.holder_id).filter(
            Q(certificate=certificate) | Q(certificate__isnull=True)
        )
    }
    row = rows.get(certificate.pk) or rows.get(None)
    return _public_set(row) if row else DEFAULT_PUBLIC


def has_own_evidence_choice(certificate: Certificate) -> bool:
    return EvidenceChoice.objects.filter(certificate=certificate).exists()


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedStatusList:
    """One of our status list credentials, signed, as verifiers fetch it from ``url``."""

    url: str
    document: dict[str, Any]
    digest: bytes  # SHA-256 of the signed document, for the verification memo's key


# Signed status lists by (purpose, key, URL, issuer, values): a list is signed again only when
# one of them changes, so a revocation still shows on the very next request.
_STATUS_LISTS: dict[tuple[str, str, str, str, StatusValues], SignedStatusList] = {}


def _json_digest(document: dict[str, Any]) -> bytes:
    return hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    ).digest()


def _signed_status_list(
    purpose: str, key: SigningKey, values: StatusValues, now: datetime | None = None
) -> SignedStatusList:
    url = status_list_url(purpose)
    cache_key = (purpose, key.key_id, url, issuer_did(), values)
    if now is None and cache_key in _STATUS_LISTS:
        return _STATUS_LISTS[cache_key]
    moment = now or timezone.now()
    document = build_status_list_credential(
        url=url,
        issuer_did=issuer_did(),
        purpose=purpose,
        encoded_list=statuslist.encode(values, status_size(purpose)),
        valid_from=moment,
    )
    signed = dataintegrity.sign(
        document,
        private_key=keystore.load(key.key_id),
        verification_method=verification_method_id(key),
        created=moment,
    )
    if len(_STATUS_LISTS) > 64:
        _STATUS_LISTS.clear()
    _STATUS_LISTS[cache_key] = SignedStatusList(url, signed, _json_digest(signed))
    return _STATUS_LISTS[cache_key]


def status_list_credential(purpose: str, now: datetime | None = None) -> dict[str, Any]:
    """The signed Bitstring Status List credential for ``purpose`` with the current statuses
    (read on every call, so a revocation shows at once). Signed by the current key; raises
    KeyUnavailable when there is none."""
    key = signing_key()
    if key is None:
        raise keystore.KeyUnavailable("No signing key exists; run `credence keys create`.")
    return _signed_status_list(purpose, key, status_list_values()[purpose], now).document


def own_status_list(url: str) -> dict[str, Any] | None:
    """Our own status list credential for ``url``, or None when ``url`` is not one of ours or
    it cannot be signed now (then the status could not be checked)."""
    for purpose in StatusPurpose.values:
        if url == status_list_url(purpose):
            try:
                return status_list_credential(purpose)
            except keystore.KeyUnavailable:
                return None
    return None


def _own_status_lists(keys: list[SigningKey]) -> dict[str, SignedStatusList]:
    """Our status lists by URL (the message list and the two of the credentials signed
    before it), with the current statuses (read now); none when no key can sign them."""
    signer = next((key for key in keys if key.signing), None)
    if signer is None:
        return {}
    values = status_list_values()
    try:
        signed = [_signed_status_list(p, signer, values[p]) for p in StatusPurpose.values]
    except keystore.KeyUnavailable:
        return {}
    return {s.url: s for s in signed}


# Reports by exactly what was verified: the credential, the issuer's DID and keys, our status
# lists (each by its digest, so a changed list is verified afresh) and where the moment lies
# against the documents' dates (``time_phase``). The signatures are checked again only when
# one of them changes; a revocation changes a list, so it shows on the very next request.
_REPORTS: dict[tuple[Any, ...], VerificationReport] = {}
_REPORTS_MAX = 4096


@dataclass(frozen=True)
class OwnTrust:
    """What a verification trusts of this platform, read once: the issuer's DID document
    with every key, and its status lists signed now with the current statuses (none when
    no key can sign them). A page reads it once; a batch of credentials once for all."""

    did: str
    keys: tuple[tuple[str, str], ...]  # (key id, public key multibase)
    document: dict[str, Any]
    lists: dict[str, SignedStatusList]

    @classmethod
    def read(cls) -> OwnTrust:
        """Reads the keys and the statuses (two queries)."""
        keys = signing_keys()
        return cls(
            did=issuer_did(),
            keys=tuple((key.key_id, key.public_key_multibase) for key in keys),
            document=did_document(keys),
            lists=_own_status_lists(keys),
        )

    def verify(self, credential: dict[str, Any], now: datetime) -> VerificationReport:
        """Verify ``credential`` as an outside verifier would, with this platform's DID
        document and status lists (any other issuer's key is not at hand, except a did:key)."""
        lists = self.lists
        memo = (
            _json_digest(credential),
            self.did,
            self.keys,
            tuple((url, signed.digest) for url, signed in lists.items()),
            time_phase(now, credential, *(signed.document for signed in lists.values())),
        )
        report = _REPORTS.get(memo)
        if report is None:
            report = verify_credential(
                credential,
                now=now,
                did_documents={self.did: self.document},
                status_lists=lambda url: lists[url].document if url in lists else None,
            )
            if len(_REPORTS) >= _REPORTS_MAX:
                _REPORTS.clear()
            _REPORTS[memo] = report
        return report


def verify_certificate(
    certificate: Certificate, now: datetime | None = None, *, trust: OwnTrust | None = None
) -> VerificationReport:
    """Verify the certificate's signed credential exactly as an outside verifier would: its
    proof against the DID document, its status against the signed status lists. The
    credential must have been issued (``services.credential_issue``). Reads the keys and the
    statuses (two queries) unless ``trust`` was read already."""
    if certificate.credential is None:
        return VerificationReport(
            standing=Standing.STATUS_UNKNOWN,
            signature_valid=False,
            problems=("the signed credential is not available now",),
            statuses=(),
            issuer=issuer_did(),
            valid_from=None,
            valid_until=None,
        )
    trust = trust or OwnTrust.read()
    return trust.verify(certificate.credential, now or timezone.now())


def serial_of(credential: dict[str, Any]) -> str | None:
    """The serial of this platform's certificate whose credential ``credential`` claims to be
    (its ``id`` is the certificate's verification URL), else None."""
    claimed = credential.get("id")
    if not isinstance(claimed, str):
        return None
    prefix = verification_url("X").removesuffix("X/")
    rest = claimed[len(prefix) :] if claimed.startswith(prefix) else ""
    serial = rest[:-1] if rest.endswith("/") else ""
    return serial if serial and "/" not in serial else None


@dataclass(frozen=True)
class VerificationView:
    """What the public page and its JSON say about a certificate: frozen plain values only, so
    that equal views render equal pages (``views.verify`` keeps the rendered part by it)."""

    serial: str
    holder: str  # the name, or the e-mail address when no name is recorded
    provider: str
    program_name: str
    issued_on: date
    valid_until: date
    status_reason: str
    of_certification: bool  # False for the composite award
    report: VerificationReport
    award: AwardDescription
    evidence: tuple[EvidenceFacts, ...]
    repository: str | None  # the portfolio repository at the evaluated commit, when recorded
    # the public page of how the certification's test decides (decision 0045); the list of
    # them for the composite award
    transparency: str

    @property
    def standing(self) -> Standing:
        return self.report.standing

    @property
    def revocation(self) -> str:
        return self.report.state_of(StatusPurpose.REVOCATION)

    @property
    def suspension(self) -> str:
        return self.report.state_of(StatusPurpose.SUSPENSION)


def verification_for(certificate: Certificate, now: datetime | None = None) -> VerificationView:
    """What the public page shows about ``certificate`` (read with
    ``certificate_for_verification`` in the same request, so that its program's rules version
    is current)."""
    rules = catalog_api.rules_cached(certificate.program)
    report = verify_certificate(certificate, now)
    # Show the evidence exactly as it was signed; recompute it only when nothing is signed.
    if certificate.credential is not None:
        evidence = evidence_in(certificate.credential)
    else:
        choice = evidence_choice_for(certificate)
        evidence = tuple(
            approved_evidence(e, choice, evidence_page_url(certificate.serial, e.evaluation))
            for e in evidence_for(certificate, rules)
        )
    shows_name = getattr(certificate, "shows_name", None)
    if shows_name is None:
        shows_name = evidence_choice_for(certificate).name
    repository = next(
        (e.repository_at_commit for e in evidence if e.repository_at_commit),
        # a credential signed before decision 0054 had the repository's tree as the id
        next((e.url for e in evidence if e.url and "/tree/" in e.url), None),
    )
    holder, program = certificate.holder, certificate.program
    return VerificationView(
        serial=certificate.serial,
        holder=(
            holder.full_name or holder.email
            if shows_name
            else _("Not shown, at the holder's choice")
        ),
        provider=program.provider,
        program_name=program.name,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        status_reason=certificate.status_reason,
        of_certification=certificate.certification_id is not None,
        report=report,
        award=describe_award(rules, certificate.award),
        evidence=evidence,
        repository=repository,
        transparency=psychometrics_api.transparency_url(
            certificate.award if certificate.certification_id is not None else None
        ),
    )


def linkedin_url(certificate: Certificate, name: str) -> str:
    """LinkedIn's "Add to profile" link with the certificate's fields filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": certificate.program.provider,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "expirationYear": certificate.valid_until.year,
        "expirationMonth": certificate.valid_until.month,
        "certId": certificate.serial,
        "certUrl": verification_url(certificate.serial),
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def openbadges_context() -> list[str]:
    return list(CONTEXT)


def standing_on(certificate: Certificate, today: date | None = None) -> Standing:
    """The certificate's standing from the database (for its holder and staff); the public
    page verifies the signed credential instead (``verify_certificate``)."""
    day = today or timezone.localdate()
    if certificate.revoked_on is not None and day >= certificate.revoked_on:
        return Standing.REVOKED
    if certificate.suspended_on is not None:
        return Standing.SUSPENDED
    if day < certificate.issued_on:
        return Standing.NOT_YET_VALID
    if day > certificate.valid_until:
        return Standing.EXPIRED
    return Standing.VALID


def verification_json(view: VerificationView) -> dict[str, Any]:
    """What the public JSON endpoint says about a certificate: the verification result and
    the same facts the page shows."""
    return {
        "serial": view.serial,
        "standing": str(view.standing),
        "standing_label": str(view.standing.label),
        "verification": view.report.as_dict(),
        "holder": view.holder,
        "award": {
            "code": view.award.code,
            "name": view.award.name,
            "description": view.award.description,
            "proves": list(view.award.proves),
            "does_not_prove": list(view.award.does_not_prove),
        },
        "issued_on": view.issued_on.isoformat(),
        "valid_until": view.valid_until.isoformat(),
        "evidence": [
            {"name": e.name, "description": e.description, "url": e.url} for e in view.evidence
        ],
        "portfolio_repository": view.repository,
        "credential_url": public_url(reverse("credentials:credential", args=[view.serial])),
        "page_url": verification_url(view.serial),
        "evidence_page_url": evidence_page_url(view.serial),
    }
