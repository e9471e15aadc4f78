"""An Open Badges 3.0 ``OpenBadgeCredential`` (W3C VC Data Model 2.0) from plain facts.

Pure: the caller gathers the facts (certificate, program, holder, evidence, status list
entries); this module only shapes them. Every term used is defined by the two bundled
contexts below; ``linkeddata.check_strict`` refuses anything else before it is signed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from credence.credentials.dataintegrity import utc_timestamp
from credence.credentials.policy import PublicSet
from credence.credentials.statuses import STATUS_MESSAGES, STATUS_SIZE, StatusPurpose

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [VC_V2, OB_V3]


@dataclass(frozen=True)
class EvidenceFacts:
    """One piece of evidence behind a certificate: an evaluation passed (with its score band)
    or waived, or, for the composite award, a component certificate."""

    name: str
    genre: str
    description: str
    url: str | None = None  # the repository at the evaluated commit, or a certificate's page
    narrative: str = ""
    # The same facts as values, for a reader in another language (the certificate's PDF and
    # image); not signed: the credential carries the English description above.
    day: date | None = None  # passed (results released), waived, or the component issued
    score_band: str = ""
    pass_mark: str = ""
    waived: bool = False
    serial: str = ""  # the component certificate's
    until: date | None = None  # the component certificate's last valid day
    # The evidence chain of a passed evaluation (decision 0054). ``evaluation`` is its code,
    # ``held_on`` and ``sitting`` find the attempt (not signed); the rest is stated in the
    # narrative in fixed wording (``chain_narrative``), as OB 3.0's Evidence has no terms of
    # its own for them.
    evaluation: str = ""
    held_on: date | None = None
    sitting: int | None = None
    submission: int | None = None
    repository: str = ""  # the repository's address (without ".git")
    commit: str = ""
    report_digest: str = ""  # SHA-256 (hex) of the evidence report's canonical JSON
    agreement: str = ""  # how the two examiners' rubric scores agreed
    reliability: str = ""  # the knowledge-test form's reliability and how it was computed

    @property
    def repository_at_commit(self) -> str | None:
        """A link to the repository's tree at the evaluated commit (GitHub's form), when the
        repository is an https address."""
        if self.repository.startswith("https://") and self.commit:
            return f"{self.repository}/tree/{self.commit}"
        return None


# The narrative's labels, one fact a line as "Label: value" (decision 0054): English, fixed,
# so that a program reads them back (``chain_facts``) and a person reads them as they are.
REPOSITORY = "Repository"
COMMIT = "Commit"
REPORT_DIGEST = "Evidence report SHA-256"
AGREEMENT = "Examiners' agreement"
RELIABILITY = "Form reliability"
RESULT = "Result"
EVIDENCE_PAGE = "Evidence page"
DIGEST_METHOD = "sha256 of the report's canonical JSON: sorted keys, no spaces, UTF-8"


def result_sentence(item: EvidenceFacts) -> str:
    """The evaluation's result as signed: passed on a day, with the score band only when
    ``item`` carries it (the holder approved it)."""
    band = f"; score band {item.score_band}" if item.score_band else ""
    return f"Passed on {item.day}{band} (pass mark {item.pass_mark})"


def chain_narrative(item: EvidenceFacts, page: str) -> str:
    """The evidence chain of one passed evaluation, one labelled fact a line."""
    lines = [f"{RESULT}: {result_sentence(item)}"]
    if item.repository:
        lines += [f"{REPOSITORY}: {item.repository}", f"{COMMIT}: {item.commit}"]
    if item.report_digest:
        lines.append(f"{REPORT_DIGEST}: {item.report_digest} ({DIGEST_METHOD})")
    if item.agreement:
        lines.append(f"{AGREEMENT}: {item.agreement}")
    if item.reliability:
        lines.append(f"{RELIABILITY}: {item.reliability}")
    lines.append(f"{EVIDENCE_PAGE}: {page}")
    return "\n".join(lines)


def chain_facts(narrative: str) -> dict[str, str]:
    """The labelled facts of a narrative ``chain_narrative`` wrote (empty for any other)."""
    facts: dict[str, str] = {}
    for line in narrative.splitlines():
        label, sep, value = line.partition(": ")
        if sep:
            facts.setdefault(label, value)
    if REPORT_DIGEST in facts:
        facts[REPORT_DIGEST] = facts[REPORT_DIGEST].split(" ", 1)[0]
    return facts


def approved_evidence(item: EvidenceFacts, choice: PublicSet, page: str) -> EvidenceFacts:
    """E1: one piece of evidence with exactly what ``choice`` approves. A passed evaluation
    (``item.evaluation``) keeps its chain (the report's digest, the examiners' agreement,
    the form's reliability, which say nothing about the holder that the certificate does
    not), loses the score band and the repository unless approved, and points at ``page``,
    the public evidence page; a waiver or a component certificate is unchanged."""
    if not item.evaluation or item.waived:
        return item
    shown = replace(
        item,
        score_band=item.score_band if choice.bands else "",
        repository=item.repository if choice.repository else "",
        commit=item.commit if choice.repository else "",
    )
    return replace(
        shown,
        url=page,
        description=result_sentence(shown),
        narrative=chain_narrative(shown, page),
    )


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str
    issuer_did: str
    issuer_name: str
    issuer_url: str
    issuer_email: str
    holder_name: str | None  # None: the holder did not approve showing it (decision 0054)
    holder_email: str
    salt: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria: str
    proves: tuple[str, ...]
    does_not_prove: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime
    status_list_url: str  # the message list's (decision 0049)
    status_index: int
    status_reference: str  # where the status is explained: the certificate's public page
    evidence: tuple[EvidenceFacts, ...] = ()


def identity_hash(email: str, salt: str) -> str:
    """Open Badges 3.0 hashed recipient identity: sha256 of the address plus the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def criteria_narrative(facts: CredentialFacts) -> str:
    lines = [facts.criteria, "", "What this certificate proves:"]
    lines += [f"- {item}" for item in facts.proves]
    lines += ["", "What it does not prove:"]
    lines += [f"- {item}" for item in facts.does_not_prove]
    return "\n".join(lines)


def build_credential(facts: CredentialFacts) -> dict[str, Any]:
    evidence = []
    for item in facts.evidence:
        entry: dict[str, Any] = {
            "type": ["Evidence"],
            "name": item.name,
            "genre": item.genre,
            "description": item.description,
        }
        if item.url:
            entry["id"] = item.url
        if item.narrative:
            entry["narrative"] = item.narrative
        evidence.append(entry)
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.achievement_name,
        "issuer": {
            "id": facts.issuer_did,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.issuer_url,
            "email": facts.issuer_email,
        },
        "validFrom": utc_timestamp(facts.valid_from),
        "validUntil": utc_timestamp(facts.valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            **({"name": facts.holder_name} if facts.holder_name is not None else {}),
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(facts.holder_email, facts.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": facts.salt,
                }
            ],
            "achievement": {
                "id": facts.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": facts.achievement_name,
                "description": facts.achievement_description,
                "criteria": {"narrative": criteria_narrative(facts)},
                "creator": {"id": facts.issuer_did, "type": ["Profile"]},
            },
        },
        # One entry, as Open Badges 3.0 allows (decision 0049): the message list, whose
        # two bits tell in force, suspended and revoked apart
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": StatusPurpose.MESSAGE.value,
            "statusListIndex": str(facts.status_index),
            "statusSize": STATUS_SIZE,
            "statusMessage": [
                {"status": hex(value), "message": message}
                for value, message in enumerate(STATUS_MESSAGES)
            ],
            "statusReference": facts.status_reference,
            "statusListCredential": facts.status_list_url,
        },
    }
    if evidence:
        credential["evidence"] = evidence
    return credential


def build_status_list_credential(
    *, url: str, issuer_did: str, purpose: str, encoded_list: str, valid_from: datetime
) -> dict[str, Any]:
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": utc_timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
