"""Rules R5 (certificate), R6 (AI Engineer) and R12 (recertification) over plain data.

No ORM and no clock: callers pass the certificates they know of and the day they ask about.
A certificate's record, its recertification window and the cycle it ends are the exams app's
(its booking rules count attempts per cycle); they are imported from ``exams.api``
(decision 0055).

Decisions recorded in docs/decisions/:
- a certificate is valid on every day from its issue date up to *and including* its
  valid-until date (0003);
- the composite award (R6) is renewed like any certificate: a component issued inside the
  composite's recertification window renews it from the old expiry; after it lapses it is
  awarded afresh on the first day the composite holds again (0004).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from credence.catalog.policy import ProgramRules
from credence.core.dates import add_years
from credence.core.decisions import Allowed, Decision, Refused
from credence.exams.api import CertificateRecord, latest, recertification_opens


@dataclass(frozen=True)
class Award:
    """A certificate that is due: what, from when, until when, and which rule made it."""

    award: str
    issued_on: date
    valid_until: date
    rule: str
    renews: CertificateRecord | None = None


def in_recertification_window(
    program: ProgramRules, certificate: CertificateRecord, day: date
) -> bool:
    return recertification_opens(program, certificate) <= day <= certificate.valid_until


def valid_until_for(
    program: ProgramRules, issued_on: date, previous: CertificateRecord | None
) -> date:
    """R5 five calendar years (29 Feb -> 28 Feb); R12 from the old expiry if renewed in time."""
    if previous is not None and in_recertification_window(program, previous, issued_on):
        return add_years(previous.valid_until, program.validity_years)
    return add_years(issued_on, program.validity_years)


def held_on(certificates: Iterable[CertificateRecord], day: date) -> list[CertificateRecord]:
    """Certificates valid on ``day`` (issued, not expired, not revoked)."""
    return sorted(
        (c for c in certificates if c.valid_on(day)), key=lambda c: (c.award, c.issued_on)
    )


def certificate_due(
    program: ProgramRules,
    certificates: Iterable[CertificateRecord],
    certification: str,
    completions: dict[str, date],
) -> Award | None:
    """R5: the certification is awarded when every evaluation is passed or waived in the
    current cycle, on the day of the last result. ``completions`` maps each evaluation code to
    the day it was passed (result released) or waived in this cycle."""
    if any(e.code not in completions for e in program.evaluations):
        return None
    issued_on = max(completions.values())
    previous = latest(certificates, certification)
    if previous is not None and issued_on <= previous.issued_on:
        return None  # already awarded for this cycle
    return Award(
        award=certification,
        issued_on=issued_on,
        valid_until=valid_until_for(program, issued_on, previous),
        rule="R12" if previous is not None else "R5",
        renews=previous if previous and previous.valid_on(issued_on) else None,
    )


@dataclass(frozen=True)
class CompositeStatus:
    """Where a candidate stands on the composite award (R6) on one day."""

    holds: bool
    required_missing: tuple[str, ...]
    electives_held: tuple[str, ...]
    electives_missing_count: int


def composite_status(
    program: ProgramRules, certificates: Iterable[CertificateRecord], day: date
) -> CompositeStatus:
    valid = {c.award for c in held_on(certificates, day)}
    composite = program.composite
    required_missing = tuple(code for code in composite.required if code not in valid)
    electives_held = tuple(code for code in composite.electives if code in valid)
    electives_missing = max(0, composite.min_electives - len(electives_held))
    return CompositeStatus(
        holds=not required_missing and not electives_missing,
        required_missing=required_missing,
        electives_held=electives_held,
        electives_missing_count=electives_missing,
    )


def composite_awards(
    program: ProgramRules, certificates: Iterable[CertificateRecord], until: date
) -> list[Award]:
    """R6: every composite award the component certificates earn up to ``until``.

    The composite can only start to hold on a day a component is issued, or be due again the
    day after an award lapses; those are the only days to look at.
    """
    code = program.composite.code
    components = [c for c in certificates if c.award != code]
    issue_days = {c.issued_on for c in components}
    awards: list[Award] = []
    current: CertificateRecord | None = None
    candidates = sorted(d for d in issue_days if d <= until)
    pending = list(candidates)
    while pending:
        day = pending.pop(0)
        if not composite_status(program, components, day).holds:
            continue
        if current is not None and current.valid_on(day):
            if not (day in issue_days and in_recertification_window(program, current, day)):
                continue
            if day == current.issued_on:
                continue
            rule = "R12"
        else:
            rule = "R6"
        valid_until = valid_until_for(program, day, current)
        award = Award(code, day, valid_until, rule, renews=current if rule == "R12" else None)
        awards.append(award)
        current = CertificateRecord(code, day, valid_until)
        lapse = valid_until + timedelta(days=1)
        if lapse <= until and lapse not in pending:
            pending = sorted([*pending, lapse])
    return awards


def score_band(score: Decimal) -> str:
    """The band a score (percent) falls in, as shown on a certificate: bands of ten points,
    the top one 90-100. Verifiers see the band, not the exact score (docs/decisions/0016)."""
    low = min(int(score // 10) * 10, 90)
    high = 100 if low == 90 else low + 9
    return f"{low}\u2013{high}"


def expiry_reminders_due(
    certificate: CertificateRecord, thresholds: Iterable[int], sent: Iterable[int], today: date
) -> list[int]:
    """Reminder thresholds (days before expiry) reached on ``today`` and not yet sent. Only
    the nearest one reached is due: a certificate found 20 days before expiry gets the 30-day
    reminder, not the 90-day one as well."""
    if not certificate.valid_on(today):
        return []
    days_left = (certificate.valid_until - today).days
    reached = sorted(t for t in thresholds if days_left <= t)
    if not reached or reached[0] in set(sent):
        return []
    return [reached[0]]


# --- what the holder makes public (decision 0054) -------------------------------------------


@dataclass(frozen=True)
class PublicSet:
    """What a holder approves for the public about a certificate: their name, the score
    bands, the repository with the evaluated commit, and the evidence report itself."""

    name: bool
    bands: bool
    repository: bool
    report: bool


#: Before the holder chooses: the name and the repository, which a certificate was always
#: shared with, but no score band (a grade beyond "passed" is theirs to give) and not the
#: report (it names the repository's other authors and their e-mail addresses).
DEFAULT_PUBLIC = PublicSet(name=True, bands=False, repository=True, report=False)


def evidence_choice_allowed(choice: PublicSet) -> Decision:
    """E2: the evidence report names the repository and its commit, so it is published only
    with them."""
    if choice.report and not choice.repository:
        return Refused(
            rule="E2",
            reason=_(
                "The evidence report names the repository and its commit: publish the "
                "repository too, or keep the report private."
            ),
            never=True,
        )
    return Allowed(rule="E2")


def resting_on(
    program: ProgramRules,
    certificates: Iterable[CertificateRecord],
    certification: str,
    since: date,
) -> list[CertificateRecord]:
    """C2 (decision 0053): the certificates a pass released on ``since`` earned, none revoked:
    the first of that certification issued on or after that day (R5 issues it on the day of
    the cycle's last result), and each composite award (R6) issued since then that does not
    hold without it."""
    certificates = list(certificates)
    earned = sorted(
        (c for c in certificates if c.award == certification and c.issued_on >= since),
        key=lambda c: c.issued_on,
    )
    if not earned or earned[0].revoked_on is not None:
        return []
    withdrawn = earned[0]
    code = program.composite.code
    rest = [c for c in certificates if c != withdrawn and c.award != code]
    return [withdrawn] + [
        c
        for c in certificates
        if c.award == code
        and c.revoked_on is None
        and c.issued_on >= withdrawn.issued_on
        and not composite_status(program, rest, c.issued_on).holds
    ]
