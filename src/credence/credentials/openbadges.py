"""An Open Badges 3.0 ``OpenBadgeCredential`` (W3C VC Data Model 2.0) from plain facts.

Pure: the caller gathers the facts (certificate, program, holder, evidence, status list
entries); this module only shapes them. Every term used is defined by the two bundled
contexts below; ``linkeddata.check_strict`` refuses anything else before it is signed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from credence.credentials.dataintegrity import utc_timestamp

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [VC_V2, OB_V3]
STATUS_PURPOSES = ("revocation", "suspension")


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


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str
    issuer_did: str
    issuer_name: str
    issuer_url: str
    issuer_email: str
    holder_name: str
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
    status_list_urls: tuple[tuple[str, str], ...]  # (purpose, status list credential URL)
    status_index: int
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
            "name": facts.holder_name,
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
        "credentialStatus": [
            {
                "id": f"{url}#{facts.status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(facts.status_index),
                "statusListCredential": url,
            }
            for purpose, url in facts.status_list_urls
        ],
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
