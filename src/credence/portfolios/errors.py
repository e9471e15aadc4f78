"""Why a repository could not be read, in the product's words (docs/portfolio-report.md,
"Errors").

``gitsafe`` tells *what kind* of failure git reported and keeps git's whole relevant message;
this module turns both into one sentence for the candidate (the submission form), the
examiners and the office (the portfolio page) and the operator (``credence portfolio
analyze``). Git's own words follow once, after "Git said:", where they add something (a host
name, a path); never for a limit of ours, which the sentence already names.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credence.portfolios import gitsafe

# Kinds whose git message tells the reader something the sentence cannot (which host, which
# path, which protocol); for the others the sentence is the whole story.
_WITH_DETAIL = {
    gitsafe.NOT_A_REPOSITORY,
    gitsafe.NEEDS_LOGIN,
    gitsafe.UNREACHABLE,
    gitsafe.PROTOCOL,
    gitsafe.OTHER,
}


def sentence(kind: str, **params: object) -> str:
    """The product's sentence for a kind of failure (``gitsafe`` constants)."""
    if kind == gitsafe.NOT_A_REPOSITORY:
        return _(
            "There is no git repository at this address: nothing is there, or it is not a git "
            "repository."
        )
    if kind == gitsafe.NEEDS_LOGIN:
        return _(
            "The repository cannot be read without logging in: it is not public, or there is "
            "no repository at this address. Check the address and make the repository public."
        )
    if kind == gitsafe.EMPTY:
        return empty()
    if kind == gitsafe.COMMIT_NOT_FOUND:
        return commit_not_found(str(params.get("ref", "")))
    if kind == gitsafe.TOO_LARGE:
        return _(
            "The repository is larger than %(size)s, the most an evidence report reads. Keep "
            "data sets and models out of its history and submit it again."
        ) % {"size": filesizeformat(str(params.get("limit", 0)))}
    if kind == gitsafe.TIMEOUT:
        return _(
            "Reading the repository took longer than %(seconds)s seconds, the most an evidence "
            "report waits. A very large history can cause this; otherwise the host was slow."
        ) % {"seconds": params.get("seconds", "?")}
    if kind == gitsafe.UNREACHABLE:
        text = _(
            "Credence could not reach the repository's host. This is a problem of the "
            "platform's network or of the host, not of the repository: try again later, and "
            "tell the program office if it persists."
        )
        tries = int(str(params.get("tries", 1)))
        if tries > 1:  # gitsafe.retrying asked again before giving up
            text += " " + _("Credence asked %(tries)d times, with pauses in between.") % {
                "tries": tries
            }
        return text
    if kind == gitsafe.PROTOCOL:
        return _("Addresses of this kind are not accepted here.")
    return _("Git could not read the repository.")


def describe(error: gitsafe.GitError) -> str:
    """The sentence for ``error``, then git's relevant message once (when it adds something)."""
    text = sentence(error.kind, **error.params)
    if error.kind in _WITH_DETAIL and error.detail:
        return _("%(sentence)s Git said: %(detail)s") % {"sentence": text, "detail": error.detail}
    return text


def empty() -> str:
    return _("The repository is empty: it has no commits yet.")


def commit_not_found(ref: str) -> str:
    return _("The repository has no commit, branch or tag %(ref)s.") % {"ref": ref}


def not_a_ref(ref: str) -> str:
    return _("%(ref)s is not a commit, branch or tag name.") % {"ref": repr(ref)}


def no_such_path(path: str) -> str:
    return _(
        "%(path)s is neither a directory on this machine nor a repository address (https://…)."
    ) % {"path": path}
