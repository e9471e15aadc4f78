"""Verify any Open Badges 3.0 / VC 2.0 credential offline: its proof, its dates and its status.

No ORM and no network: the caller passes the DID documents it trusts (``did:key`` needs none,
the key is the identifier) and a function that returns a status list credential by URL, or
None when it has none. When a status list is missing the result says "status could not be
checked", never "valid"; when the issuer's DID document is missing it says "signature could not
be checked", never "not valid".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credence.credentials import statuslist
from credence.credentials.dataintegrity import ProofError, verify
from credence.credentials.multikey import MultikeyError, did_key_document, public_key_from_multikey
from credence.credentials.statuses import (
    PURPOSE_OF_MESSAGE,
    Standing,
    StatusPurpose,
    StatusState,
)

StatusListSource = Callable[[str], dict[str, Any] | None]


class IssuerUnresolvable(ProofError):
    """The DID document that holds the signing key is not at hand: the proof cannot be
    checked either way."""


@dataclass(frozen=True)
class StatusResult:
    purpose: str
    state: StatusState
    detail: str
    # for a ``message`` entry, the message of the value read (e.g. "revoked"), else ""
    message: str = ""


def state_of(statuses: tuple[StatusResult, ...], purpose: str) -> StatusState:
    """Whether the credential is revoked or suspended (``purpose``): from its entry for that
    purpose, or from its message entry, which says revoked or suspended in its own words
    (decision 0049)."""
    for status in statuses:
        if status.purpose == purpose:
            return status.state
    for status in statuses:
        if status.purpose == StatusPurpose.MESSAGE:
            if status.state == StatusState.UNKNOWN:
                return StatusState.UNKNOWN
            is_purpose = PURPOSE_OF_MESSAGE.get(status.message) == purpose
            return StatusState.SET if is_purpose else StatusState.CLEAR
    return StatusState.UNKNOWN


@dataclass(frozen=True)
class VerificationReport:
    standing: Standing
    signature_valid: bool
    problems: tuple[str, ...]
    statuses: tuple[StatusResult, ...]
    issuer: str | None
    valid_from: str | None
    valid_until: str | None
    # why the signature could not be checked (standing SIGNATURE_UNCHECKED), else None
    unchecked: str | None = None

    @property
    def status_checked(self) -> bool:
        return bool(self.statuses) and all(s.state != StatusState.UNKNOWN for s in self.statuses)

    def state_of(self, purpose: str) -> StatusState:
        return state_of(self.statuses, purpose)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["standing"] = str(self.standing)
        data["statuses"] = [
            {"purpose": s.purpose, "state": str(s.state), "detail": s.detail, "message": s.message}
            for s in self.statuses
        ]
        data["problems"] = list(self.problems)
        data["status_checked"] = self.status_checked
        return data


def _absolute(ref: str, did: str) -> str:
    return f"{did}{ref}" if ref.startswith("#") else ref


def key_resolver(
    did_documents: Mapping[str, dict[str, Any]],
) -> Callable[[str], Ed25519PublicKey]:
    """Resolve a verification method to its Ed25519 key from trusted DID documents."""

    def resolve(method_id: str) -> Ed25519PublicKey:
        did = method_id.split("#", 1)[0]
        try:
            document = (
                did_key_document(did) if did.startswith("did:key:") else did_documents.get(did)
            )
        except MultikeyError as error:
            raise ProofError(f"{did}: {error}") from error
        if document is None:
            raise IssuerUnresolvable(
                f"the issuer's DID {did} cannot be resolved offline; supply its DID document"
            )
        methods = {
            _absolute(m.get("id", ""), did): m
            for m in document.get("verificationMethod", [])
            if isinstance(m, dict)
        }
        method = methods.get(method_id)
        if method is None:
            raise ProofError(f"the DID document of {did} has no key {method_id}")
        assertion = {
            _absolute(a if isinstance(a, str) else a.get("id", ""), did)
            for a in document.get("assertionMethod", [])
        }
        if method_id not in assertion:
            raise ProofError(f"the key {method_id} may not sign credentials (no assertionMethod)")
        if method.get("controller") != did:
            raise ProofError(f"the key {method_id} is not controlled by {did}")
        if method.get("type") != "Multikey":
            raise ProofError(f"the key {method_id} is not a Multikey")
        try:
            return public_key_from_multikey(str(method.get("publicKeyMultibase", "")))
        except MultikeyError as error:
            raise ProofError(f"the key {method_id}: {error}") from error

    return resolve


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _check_proof(
    document: dict[str, Any], resolve: Callable[[str], Ed25519PublicKey]
) -> str | None:
    """None when the proof verifies and its key belongs to the issuer; else why not.
    ``IssuerUnresolvable`` passes through: that is no answer about the proof."""
    try:
        proof = verify(document, resolve)
    except IssuerUnresolvable:
        raise
    except ProofError as error:
        return str(error)
    method_did = str(proof["verificationMethod"]).split("#", 1)[0]
    if method_did != _issuer_id(document):
        return f"the credential was signed by {method_did}, not by its issuer"
    return None


# Bitstring Status List sets no upper bound; an entry must list a message for every value,
# so a verifier reading anyone's credential takes at most 2**8 of them.
MAX_STATUS_SIZE = 8


def _status_size(entry: dict[str, Any]) -> int:
    """The entry's ``statusSize``: 1 when absent, else an integer above zero."""
    size = entry.get("statusSize", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError("statusSize is not an integer above zero")
    if size > MAX_STATUS_SIZE:
        raise ValueError(f"statusSize {size} is above the {MAX_STATUS_SIZE} bits read here")
    return size


def _status_messages(entry: dict[str, Any], size: int) -> dict[int, str]:
    """The entry's messages by value: its ``statusMessage``, one for each of the 2**size
    values, or for one bit without it "unset" and "set" (Bitstring Status List, 2.1)."""
    listed = entry.get("statusMessage")
    if listed is None and size == 1:
        return {0: "unset", 1: "set"}
    if not isinstance(listed, list) or len(listed) != 2**size:
        raise ValueError(f"statusMessage does not list the {2**size} values of {size} bits")
    messages: dict[int, str] = {}
    for item in listed:
        status = item.get("status") if isinstance(item, dict) else None
        message = item.get("message") if isinstance(item, dict) else None
        if not isinstance(status, str) or not status.startswith("0x"):
            raise ValueError("a statusMessage's status is not a hexadecimal string (0x...)")
        if not isinstance(message, str):
            raise ValueError("a statusMessage has no message")
        messages[int(status, 16)] = message
    if sorted(messages) != list(range(2**size)):
        raise ValueError(f"statusMessage does not list the {2**size} values of {size} bits")
    return messages


def _status(
    entry: dict[str, Any],
    issuer: str | None,
    resolve: Callable[[str], Ed25519PublicKey],
    source: StatusListSource,
    now: datetime,
) -> StatusResult:
    purpose = str(entry.get("statusPurpose", ""))
    url = entry.get("statusListCredential")
    unknown = StatusState.UNKNOWN
    if entry.get("type") != "BitstringStatusListEntry" or not isinstance(url, str):
        return StatusResult(purpose, unknown, "unsupported status entry")
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return StatusResult(purpose, unknown, "the status list index is not a number")
    try:
        size = _status_size(entry)
        messages = _status_messages(entry, size)
    except ValueError as error:
        return StatusResult(purpose, unknown, str(error))
    status_list = source(url)
    if status_list is None:
        return StatusResult(purpose, unknown, f"the status list {url} is not available offline")
    problem = _check_proof(status_list, resolve)
    if problem is not None:
        return StatusResult(purpose, unknown, f"the status list does not verify: {problem}")
    if _issuer_id(status_list) != issuer:
        return StatusResult(purpose, unknown, "the status list has another issuer")
    until = _parse(status_list.get("validUntil"))
    if until is not None and now > until:
        return StatusResult(purpose, unknown, "the status list has expired")
    subject = status_list.get("credentialSubject", {})
    if subject.get("statusPurpose") != purpose:
        return StatusResult(purpose, unknown, "the status list is for another purpose")
    try:
        bits = statuslist.decode(str(subject.get("encodedList", "")), size)
        value = statuslist.value_at(bits, index, size)
    except statuslist.StatusListError as error:
        return StatusResult(purpose, unknown, str(error))
    if purpose != StatusPurpose.MESSAGE:
        return StatusResult(purpose, StatusState.SET if value else StatusState.CLEAR, "")
    # Zero is in force (the specification's "valid"); any other value counts only with a
    # message this verifier knows the meaning of (revoked, suspended)
    message = messages[value]
    if value == 0:
        return StatusResult(purpose, StatusState.CLEAR, "", message)
    if message in PURPOSE_OF_MESSAGE:
        return StatusResult(purpose, StatusState.SET, "", message)
    return StatusResult(
        purpose, unknown, f"the status {value:#x} ({message!r}) has no known meaning", message
    )


def time_phase(now: datetime, *documents: dict[str, Any]) -> tuple[bool, ...]:
    """Where ``now`` lies against every moment of the documents (a credential and its status
    lists) that ``verify_credential`` compares it with: its only use of ``now``. Two moments
    with the same phase give the same report, so a memo keyed by it stays exact."""
    phase: list[bool] = []
    for document in documents:
        for field in ("validFrom", "validUntil"):
            moment = _parse(document.get(field))
            if moment is not None:
                phase += (now < moment, now > moment)
    return tuple(phase)


def verify_credential(
    document: dict[str, Any],
    *,
    now: datetime,
    did_documents: Mapping[str, dict[str, Any]] | None = None,
    status_lists: StatusListSource | None = None,
) -> VerificationReport:
    resolve = key_resolver(did_documents or {})
    issuer = _issuer_id(document)
    problems: list[str] = []
    types = document.get("type", [])
    if "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        problems.append("the document is not a VerifiableCredential")
    if issuer is None:
        problems.append("the credential names no issuer")
    unchecked = None
    try:
        signature_problem = _check_proof(document, resolve)
    except IssuerUnresolvable as error:
        signature_problem, unchecked = None, str(error)
    if signature_problem:
        problems.append(signature_problem)
    valid_from, valid_until = document.get("validFrom"), document.get("validUntil")
    starts, ends = _parse(valid_from), _parse(valid_until)
    if valid_from is not None and starts is None:
        problems.append("validFrom is not a date-time with a time zone")
    if valid_until is not None and ends is None:
        problems.append("validUntil is not a date-time with a time zone")

    entries = document.get("credentialStatus", [])
    entries = entries if isinstance(entries, list) else [entries]
    statuses = tuple(
        _status(e, issuer, resolve, status_lists or (lambda url: None), now)
        for e in entries
        if isinstance(e, dict)
    )
    if problems:
        standing = Standing.INVALID
    elif unchecked is not None:
        standing = Standing.SIGNATURE_UNCHECKED
    elif state_of(statuses, StatusPurpose.REVOCATION) == StatusState.SET:
        standing = Standing.REVOKED
    elif state_of(statuses, StatusPurpose.SUSPENSION) == StatusState.SET:
        standing = Standing.SUSPENDED
    elif starts is not None and now < starts:
        standing = Standing.NOT_YET_VALID
    elif ends is not None and now > ends:
        standing = Standing.EXPIRED
    elif any(s.state == StatusState.UNKNOWN for s in statuses):
        standing = Standing.STATUS_UNKNOWN
    else:
        standing = Standing.VALID
    return VerificationReport(
        standing=standing,
        signature_valid=signature_problem is None and unchecked is None,
        problems=tuple(problems),
        statuses=statuses,
        issuer=issuer,
        valid_from=valid_from if isinstance(valid_from, str) else None,
        valid_until=valid_until if isinstance(valid_until, str) else None,
        unchecked=unchecked,
    )
