"""Portfolio rules as pure functions: which repository URLs are accepted, how a rubric is
scored, and when two examiners must reconcile (issue 4; R1 lives in ``exams.policy``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused

_GITHUB_PATH = re.compile(
    r"^/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)
_PATH = re.compile(r"^/[A-Za-z0-9._~/-]{1,300}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
TWO = Decimal("0.01")
PORTFOLIO = "portfolio"  # the program's evaluation a submission is for (seed 000)


class UrlRefused(ValueError):
    """A repository URL we do not accept; the message is for the candidate."""


def clean_repository_url(url: str, *, hosts: Sequence[str], schemes: Sequence[str]) -> str:
    """The URL in canonical form, or ``UrlRefused`` with the reason.

    Only the allowed schemes and hosts (``host`` or ``host:port``), no credentials, query or
    fragment; on github.com exactly ``/owner/name``. Canonical form drops a trailing ``.git``
    and slash on GitHub so that one repository has one URL.
    """
    text = url.strip()
    if not text:
        raise UrlRefused(_("Enter the address of your repository."))
    if any(ch.isspace() or ord(ch) < 32 for ch in text) or len(text) > 500:
        raise UrlRefused(_("The address contains spaces or control characters."))
    parts = urlsplit(text)
    if parts.scheme not in schemes:
        raise UrlRefused(
            _("Use an address starting with %(schemes)s.")
            % {"schemes": " or ".join(f"{s}://" for s in schemes)}
        )
    if parts.username or parts.password:
        raise UrlRefused(_("The address must not contain a user name or password."))
    if parts.query or parts.fragment:
        raise UrlRefused(_("The address must not contain ? or #."))
    netloc = parts.netloc.lower()
    if netloc not in {h.lower() for h in hosts}:
        raise UrlRefused(
            _("Repositories are accepted from %(hosts)s only.") % {"hosts": ", ".join(hosts)}
        )
    if netloc == "github.com":
        match = _GITHUB_PATH.match(parts.path)
        if not match:
            raise UrlRefused(_("A GitHub address looks like https://github.com/OWNER/REPOSITORY."))
        return f"https://github.com/{match.group('owner')}/{match.group('name')}"
    if not _PATH.match(parts.path) or ".." in parts.path:
        raise UrlRefused(_("The address has no valid repository path."))
    return f"{parts.scheme}://{netloc}{parts.path}"


def ref_kind(ref: str) -> str:
    """``"commit"`` for a full commit id, ``"name"`` for a branch or tag; else ``UrlRefused``."""
    if _COMMIT.match(ref):
        return "commit"
    if _REF.match(ref) and ".." not in ref and not ref.endswith((".lock", "/")):
        return "name"
    raise UrlRefused(_("Give a branch or tag name, or a full 40-character commit id."))


# -- rubric ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    weight: int


@dataclass(frozen=True)
class Rubric:
    scale: int
    criteria: tuple[Criterion, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "scale": self.scale,
            "criteria": [
                {"code": c.code, "name": c.name, "weight": c.weight} for c in self.criteria
            ],
        }

    def named(self, names: Mapping[str, str]) -> Rubric:
        """The rubric with its criteria called by ``names`` (by code) where given: a reader's
        language (decision 0037); codes, weights and scale stay."""
        return replace(
            self, criteria=tuple(replace(c, name=names.get(c.code, c.name)) for c in self.criteria)
        )

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Rubric:
        criteria = data["criteria"]
        assert isinstance(criteria, list)
        return cls(
            scale=int(data["scale"]),  # type: ignore[call-overload]
            criteria=tuple(Criterion(c["code"], c["name"], int(c["weight"])) for c in criteria),
        )


class ScoringError(ValueError):
    pass


def rubric_percent(rubric: Rubric, points: Mapping[str, int]) -> Decimal:
    """One examiner's score: the weighted percent of the points, two decimals (half up)."""
    codes = {c.code for c in rubric.criteria}
    if set(points) != codes:
        raise ScoringError(_("Score every criterion of the rubric, and nothing else."))
    total = 0
    for criterion in rubric.criteria:
        value = points[criterion.code]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= rubric.scale:
            raise ScoringError(
                _("Points for %(criterion)s must be a whole number from 0 to %(scale)s.")
                % {"criterion": criterion.name, "scale": rubric.scale}
            )
        total += criterion.weight * value
    weights = sum(c.weight for c in rubric.criteria)
    return (Decimal(100 * total) / Decimal(weights * rubric.scale)).quantize(TWO, ROUND_HALF_UP)


def combined_score(percents: Sequence[Decimal]) -> Decimal:
    """The evaluation's score: the mean of the two examiners' percents (two decimals)."""
    return (sum(percents, Decimal(0)) / len(percents)).quantize(TWO, ROUND_HALF_UP)


def needs_reconciliation(percents: Sequence[Decimal], margin: Decimal) -> bool:
    """Examiners who differ by more than ``margin`` points must agree before release."""
    return len(percents) == 2 and abs(percents[0] - percents[1]) > margin


def may_release(
    *, percents: Sequence[Decimal], margin: Decimal, reconciled: Decimal | None
) -> Decision:
    if len(percents) < 2:
        return Refused(rule="R4", reason=_("Both examiners must score the interview first."))
    if needs_reconciliation(percents, margin) and reconciled is None:
        return Refused(
            rule="R4",
            reason=_(
                "The examiners' scores differ by more than %(margin)s points: "
                "they must reconcile before the result can be released."
            )
            % {"margin": margin},
        )
    return Allowed()


# -- blind scoring (docs/decisions/0029) ------------------------------------------------------


def scores_visible(*, office: bool, assigned: bool, scored: bool) -> Decision:
    """Whose scores a person may read. The office reads every score; an assigned examiner reads
    the other examiner's score, notes and points only after submitting their own, so that
    neither anchors on the other; nobody else reads any."""
    if office:
        return Allowed()
    if assigned and scored:
        return Allowed()
    if assigned:
        return Refused(
            rule="R4",
            reason=_(
                "Scoring is blind: you see the other examiner's score, notes and points once "
                "you have submitted your own."
            ),
        )
    return Refused(
        rule="R4", reason=_("Only the assigned examiners and the program office read scores.")
    )


def may_revise_score(*, released: bool, scores: int, own: bool) -> Decision:
    """An examiner may change their score until the other examiner has scored too: from then
    on each has seen the other's, so a change would no longer be blind. A disagreement beyond
    the margin is settled by reconciliation (``needs_reconciliation``)."""
    if released:
        return Refused(
            rule="R4", reason=_("The result has been released; scores can no longer change.")
        )
    if own and scores >= 2:
        return Refused(
            rule="R4",
            reason=_(
                "Both examiners have scored and seen each other's scores, so scores are final "
                "now; a difference beyond the margin is reconciled."
            ),
        )
    return Allowed()
