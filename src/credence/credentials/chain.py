"""The evidence chain behind a certificate (decision 0054): for each passed evaluation, the
repository at the pinned commit with the digest of its evidence report and the examiners'
agreement (portfolios), the knowledge test's form and its reliability (psychometrics), read
through those apps' ``api``; and what of it the holder approved for the public (rule E1)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from credence.catalog.policy import ProgramRules
from credence.credentials import selectors
from credence.credentials.models import Certificate
from credence.credentials.openbadges import (
    REPORT_DIGEST,
    EvidenceFacts,
    approved_evidence,
    chain_facts,
)
from credence.credentials.policy import PublicSet
from credence.portfolios import api as portfolios_api
from credence.psychometrics import api as psychometrics_api


def agreement_sentence(portfolio: portfolios_api.PortfolioEvidence) -> str:
    """How the two examiners' rubric scores agreed, in fixed English wording; no score."""
    difference = portfolio.difference
    if difference is None:
        return f"{len(portfolio.percents)} examiner score(s) recorded"
    within = f"{difference:f} points apart"
    margin = f"{portfolio.margin.normalize():f}-point margin"
    if portfolio.reconciled is not None and difference > portfolio.margin:
        return (
            f"two examiners scored the rubric independently, {within}, beyond the {margin}; "
            "they agreed a reconciled score"
        )
    return f"two examiners scored the rubric independently, {within}, within the {margin}"


def reliability_sentence(certification: str, sitting: int | None) -> str:
    figure = psychometrics_api.form_reliability(certification, sitting) if sitting else None
    if figure is None:
        return "not computable (fewer than two candidates' answers to this form are on record)"
    return f"{figure.value:.2f} ({figure.method}, {figure.sittings} sittings)"


def chain_for(certificate: Certificate, rules: ProgramRules) -> tuple[EvidenceFacts, ...]:
    """The certificate's evidence with the whole chain of each passed evaluation, before the
    holder's choice is applied (``approved_for``)."""
    knowledge_test = rules.evaluations_in_order()[0].code
    items: list[EvidenceFacts] = []
    for item in selectors.evidence_for(certificate, rules):
        if not item.evaluation or item.waived:
            items.append(item)
        elif item.evaluation == knowledge_test:
            items.append(
                replace(item, reliability=reliability_sentence(certificate.award, item.sitting))
            )
        else:
            assert item.held_on is not None
            portfolio = portfolios_api.evaluated_portfolio(
                certificate.holder, certificate.award, item.held_on, item.day
            )
            if portfolio is None:
                items.append(item)
                continue
            items.append(
                replace(
                    item,
                    submission=portfolio.submission,
                    repository=portfolio.repository,
                    commit=portfolio.commit,
                    report_digest=portfolio.report_digest or "",
                    agreement=agreement_sentence(portfolio),
                )
            )
    return tuple(items)


def approved_for(
    certificate: Certificate, rules: ProgramRules, choice: PublicSet
) -> tuple[EvidenceFacts, ...]:
    """E1: the certificate's evidence with exactly what ``choice`` approves."""
    return tuple(
        approved_evidence(
            item, choice, selectors.evidence_page_url(certificate.serial, item.evaluation)
        )
        for item in chain_for(certificate, rules)
    )


@dataclass(frozen=True)
class EvidenceRow:
    item: EvidenceFacts
    # the report digest the credential signed for this evaluation (None: it signed none),
    # and whether the report as stored now has it
    signed_digest: str | None

    @property
    def digest_matches(self) -> bool | None:
        if self.signed_digest is None or not self.item.report_digest:
            return None
        return self.signed_digest == self.item.report_digest


@dataclass(frozen=True)
class EvidencePage:
    """What the public evidence page (and its JSON) shows: exactly the holder's current
    choice, and how the evidence compares with what the credential signed."""

    serial: str
    award: str
    holder: str | None  # None: not approved (or no name recorded: never the e-mail address)
    issued_on: date
    valid_until: date
    standing: Any  # statuses.Standing
    choice: PublicSet
    rows: tuple[EvidenceRow, ...]
    signed_on: str | None  # the proof's creation time, when signed


def evidence_page(certificate: Certificate, rules: ProgramRules) -> EvidencePage:
    choice = selectors.evidence_choice_for(certificate)
    credential = certificate.credential or {}
    signed_digests = {}
    for entry in credential.get("evidence", []):
        digest = chain_facts(str(entry.get("narrative", ""))).get(REPORT_DIGEST)
        evaluation = str(entry.get("id", "")).rpartition("#")[2]
        if digest and evaluation:
            signed_digests[evaluation] = digest
    proof = credential.get("proof")
    proofs = proof if isinstance(proof, list) else [proof] if proof else []
    holder = certificate.holder
    return EvidencePage(
        serial=certificate.serial,
        award=selectors.describe_award(rules, certificate.award).name,
        holder=(holder.full_name or None) if choice.name else None,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        standing=selectors.verify_certificate(certificate).standing,
        choice=choice,
        rows=tuple(
            EvidenceRow(item, signed_digests.get(item.evaluation))
            for item in approved_for(certificate, rules, choice)
        ),
        signed_on=str(proofs[0].get("created")) if proofs else None,
    )
