"""Who gets what from every URL: the expectations table of the URL walk (test_url_walk.py).

Every URL pattern of the root URLconf needs an entry here, keyed by its URL name
("namespace:name"; the route for a pattern without a name). A new endpoint without an entry
fails the suite: add one, stating for each asker what a GET answers and, for a view that
changes something, who must be refused a POST (docs/permissions.md, "Adding a URL").

The askers (test_url_walk.World builds them and the objects every URL needs):

* ``anonymous``: not signed in;
* ``owner``: the candidate whose booking, test, invoice, claim, portfolio and certificate the
  world holds; ``other``: another candidate;
* ``proctor``: runs the world's session; ``other_proctor``: a proctor of no session here;
* ``examiner``: assigned to the world's portfolio; ``other_examiner``: not assigned;
* ``author``; ``staff``: the program office (staff role, not a superuser).

Answers: an HTTP status, or ``LOGIN`` (a redirect to the login page), ``ADMIN_LOGIN`` (to the
admin's login page) or ``REDIRECT`` (any other redirect). The JSON API answers 401, not a
redirect, to a visitor who is not signed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"
OK, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 401, 403, 404, 405

ROLES = (
    "anonymous",
    "owner",
    "other",
    "proctor",
    "other_proctor",
    "examiner",
    "other_examiner",
    "author",
    "staff",
)
SIGNED_IN = ROLES[1:]
NOT_OFFICE = ROLES[:-1]
Answer = int | str
Kwargs = Callable[[Any], Mapping[str, Any]]


def _no_kwargs(world: Any) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    """``get``: the answer per asker. ``refuse_post``: askers whose POST must be refused
    (login redirect, 403 or 404) with nothing stored. ``kwargs``: the URL's arguments, from
    the world. ``post``: a form that would pass validation, so only permission refuses it."""

    get: Mapping[str, Answer]
    kwargs: Kwargs = _no_kwargs
    refuse_post: tuple[str, ...] = ()
    post: Kwargs = _no_kwargs
    note: str = field(default="", compare=False)


def answers(default: Answer, **by_role: Answer) -> dict[str, Answer]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown askers {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def public(ok: Answer = OK, **by_role: Answer) -> dict[str, Answer]:
    return answers(ok, **by_role)


def signed_in(ok: Answer = OK, **by_role: Answer) -> dict[str, Answer]:
    return answers(ok, **({"anonymous": LOGIN} | by_role))


def office(ok: Answer = OK, **by_role: Answer) -> dict[str, Answer]:
    """The program office's pages: 403 to every other signed-in user."""
    return answers(FORBIDDEN, **({"anonymous": LOGIN, "staff": ok} | by_role))


def owners(ok: Answer = OK, staff: Answer = OK, **by_role: Answer) -> dict[str, Answer]:
    """The owner's private object: 404 to everyone else (its existence is not revealed)."""
    return answers(NOT_FOUND, **({"anonymous": LOGIN, "owner": ok, "staff": staff} | by_role))


def allowed(ok: Answer, *roles: str, otherwise: Answer = FORBIDDEN) -> dict[str, Answer]:
    """``roles`` get ``ok``, the anonymous visitor the login page, the rest ``otherwise``."""
    return answers(otherwise, anonymous=LOGIN, **dict.fromkeys(roles, ok))


UNAUTHENTICATED = 401


def api(ok: Answer = OK, **by_role: Answer) -> dict[str, Answer]:
    """The JSON API (docs/api.md): signed-in callers get ``ok``, the anonymous one 401."""
    return answers(ok, **({"anonymous": UNAUTHENTICATED} | by_role))


def api_owners(ok: Answer = OK) -> dict[str, Answer]:
    """The owner's object through the API: 404 to other users, 401 to the anonymous one."""
    return answers(NOT_FOUND, anonymous=UNAUTHENTICATED, owner=ok, staff=ok)


def others_than(*roles: str) -> tuple[str, ...]:
    return tuple(r for r in ROLES if r not in roles)


# --- kwargs from the world -------------------------------------------------------------------


def _pk(attribute: str, name: str = "pk") -> Kwargs:
    return lambda w: {name: getattr(w, attribute).pk}


def _serial(w: Any) -> Mapping[str, Any]:
    return {"serial": w.certificate.serial}


RULES: dict[str, Rule] = {
    # --- public pages and documents ----------------------------------------------------------
    "home": Rule(public()),
    "set_language": Rule(public(REDIRECT), note="POST /i18n/setlang/; GET redirects back"),
    "recognition:guide": Rule(public()),
    "recognition:advisor": Rule(public()),
    "recognition:guidance": Rule(public(), kwargs=lambda w: {"slug": w.guidance_page.slug}),
    "recognition:entry": Rule(public(), kwargs=lambda w: {"slug": w.guide_entry.slug}),
    "projects:index": Rule(public()),
    "projects:feed": Rule(public()),
    "projects:detail": Rule(public(), kwargs=_pk("project", "project_id")),
    "learning:resources": Rule(public()),
    "credentials:did-document": Rule(public()),
    "credentials:status-list": Rule(public(), kwargs=lambda w: {"purpose": "revocation"}),
    "credentials:achievement": Rule(public(), kwargs=lambda w: {"award": "ml-expert"}),
    "credentials:verify": Rule(public(), kwargs=_serial),
    "credentials:verify-json": Rule(public(), kwargs=_serial),
    "credentials:evidence": Rule(public(), kwargs=_serial, note="what the holder approved"),
    "credentials:evidence-report": Rule(
        public(NOT_FOUND),
        kwargs=lambda w: {**_serial(w), "evaluation": "portfolio"},
        note="404 unless the holder made the report public (decision 0054)",
    ),
    "credentials:verify-many": Rule(public(), note="an employer's check of many certificates"),
    "transparency:index": Rule(public()),
    "transparency:certification": Rule(public(), kwargs=lambda w: {"code": "ml-expert"}),
    "transparency:figure": Rule(
        public(), kwargs=lambda w: {"code": "ml-expert", "name": "pass-rates"}
    ),
    # --- accounts (allauth) ------------------------------------------------------------------
    "account_login": Rule(public(REDIRECT, anonymous=OK)),
    "account_signup": Rule(public(REDIRECT, anonymous=OK)),
    "account_logout": Rule(public(OK, anonymous=REDIRECT)),
    "account_inactive": Rule(public()),
    "account_reauthenticate": Rule(signed_in()),
    "account_email": Rule(signed_in()),
    "account_email_verification_sent": Rule(public()),
    "account_change_password": Rule(signed_in()),
    "account_set_password": Rule(signed_in(REDIRECT)),
    "account_reset_password": Rule(public()),
    "account_reset_password_done": Rule(public()),
    "account_reset_password_from_key_done": Rule(public()),
    "account_confirm_login_code": Rule(public(REDIRECT, anonymous=LOGIN)),
    # allauth 65.x: re-authentication by a mailed code, used only with login by code, which
    # Credence does not enable; a signed-in person is sent on to password re-authentication
    "account_request_reauthentication_code": Rule(public(REDIRECT, anonymous=LOGIN)),
    "account_confirm_reauthentication_code": Rule(public(REDIRECT, anonymous=LOGIN)),
    "account_confirm_email": Rule(public(), kwargs=lambda w: {"key": "no-such-key"}),
    "account_reset_password_from_key": Rule(
        public(), kwargs=lambda w: {"uidb36": "zz", "key": "no-such-key"}
    ),
    # --- the candidate's own pages -----------------------------------------------------------
    "learning:my-path": Rule(signed_in()),
    "learning:planner": Rule(signed_in()),
    "exams:sessions": Rule(signed_in()),
    "exams:book": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("session"),
        refuse_post=("anonymous",),
        note="any signed-in person may book a seat for themselves",
    ),
    "exams:cancel": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("booking"),
        refuse_post=others_than("owner", "staff"),
    ),
    "exams:calendar": Rule(owners(), kwargs=_pk("booking")),
    "exams:test": Rule(owners(REDIRECT, staff=NOT_FOUND), kwargs=_pk("sitting")),
    "exams:test-answer": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("sitting"),
        refuse_post=others_than("owner"),
        post=lambda w: {"position": "0", "choice": "0"},
    ),
    # the world's test is submitted: its owner is sent to the "submitted" page
    "exams:test-review": Rule(owners(REDIRECT, staff=NOT_FOUND), kwargs=_pk("sitting")),
    "exams:test-submit": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("sitting"),
        refuse_post=others_than("owner"),
    ),
    "exams:test-done": Rule(owners(staff=NOT_FOUND), kwargs=_pk("sitting")),
    "exams:report": Rule(owners(staff=NOT_FOUND), kwargs=_pk("sitting")),
    "exams:diagnostic": Rule(owners(), kwargs=_pk("sitting")),
    "exams:diagnostic-pdf": Rule(owners(), kwargs=_pk("sitting")),
    "billing:my-fees": Rule(signed_in()),
    "billing:invoice-pdf": Rule(owners(), kwargs=lambda w: {"number": w.invoice.number}),
    "billing:credit-note-pdf": Rule(owners(), kwargs=lambda w: {"number": w.credit_note.number}),
    "billing:refund-pdf": Rule(owners(), kwargs=_pk("refund")),
    "billing:pay-online": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=lambda w: {"number": w.invoice.number},
        refuse_post=others_than("owner"),
        note="POST only; the invoice's candidate alone may pay it (the office gets 404)",
    ),
    "billing:stripe-webhook": Rule(
        public(NOT_ALLOWED),
        refuse_post=ROLES,
        note="Stripe's signed POSTs only: 404 while online payment is off (the walk), 400 "
        "without a valid signature (billing/tests/test_online_payment.py)",
    ),
    "portfolios:mine": Rule(signed_in(), refuse_post=("anonymous",)),
    "recognition:claims": Rule(signed_in()),
    "recognition:claim-new": Rule(signed_in(), refuse_post=("anonymous",)),
    "recognition:claim": Rule(
        owners(),
        kwargs=_pk("claim", "claim_id"),
        refuse_post=others_than("owner"),
        post=lambda w: {"note": "Here is more."},
    ),
    "recognition:evidence": Rule(owners(), kwargs=_pk("evidence", "evidence_id")),
    # appeals (rules A1, A2, decision 0051): the world's appeal is reviewed by other_examiner
    "appeals:mine": Rule(signed_in()),
    "appeals:new": Rule(
        owners(staff=NOT_FOUND),
        kwargs=_pk("late_result", "attempt_pk"),
        refuse_post=others_than("owner"),
        post=lambda w: {"reasons": "Too late, says rule A1."},
        note="the owner's own result, whose time to appeal has passed: shown, refused by A1",
    ),
    "appeals:detail": Rule(
        allowed(OK, "owner", "staff", "other_examiner", otherwise=NOT_FOUND),
        kwargs=_pk("appeal"),
        refuse_post=others_than("other_examiner"),
        post=lambda w: {"outcome": "dismissed", "decision": "The key is right."},
        note="only the assigned reviewer decides (A2)",
    ),
    "appeals:office": Rule(office()),
    "appeals:assign": Rule(
        office(NOT_ALLOWED),
        kwargs=_pk("appeal"),
        refuse_post=NOT_OFFICE,
        post=lambda w: {f"a{w.appeal.pk}-reviewer": w.users["author"].pk},
    ),
    # accommodations (rules AC1-AC3, decision 0052): the owner's pending extra-time request
    "accommodations:mine": Rule(signed_in()),
    "accommodations:new": Rule(signed_in(), refuse_post=("anonymous",)),
    "accommodations:detail": Rule(
        owners(),
        kwargs=_pk("accommodation"),
        refuse_post=NOT_OFFICE,
        post=lambda w: {"approve": "no", "note": "No need shown."},
        note="only the program office decides (AC2); the candidate reads it",
    ),
    "accommodations:document": Rule(owners(), kwargs=_pk("accommodation_document")),
    "accommodations:office": Rule(office()),
    # item challenges (rules C1, C2, decision 0053): the owner challenged item 1 of the
    # world's test; authors and the office decide it
    "challenges:mine": Rule(signed_in()),
    "challenges:new": Rule(
        owners(staff=NOT_FOUND),
        kwargs=_pk("sitting", "sitting_pk"),
        refuse_post=others_than("owner"),
        post=lambda w: {"position": 1, "reasons": "Two options are right."},
        note="the owner's own submitted test: its items, each with a challenge form (C1)",
    ),
    "challenges:queue": Rule(allowed(OK, "author", "staff")),
    "challenges:decide": Rule(
        allowed(OK, "author", "staff"),
        kwargs=lambda w: {"version_pk": w.challenge.version_id},
        refuse_post=others_than("author", "staff"),
        post=lambda w: {"kind": "keep", "reasons": "The key is right.", "action": "apply"},
        note="authors and the office decide a challenged item (C2)",
    ),
    "credentials:mine": Rule(signed_in()),
    "credentials:evidence-choice": Rule(
        signed_in(),
        refuse_post=("anonymous",),
        post=lambda w: {"show_name": "on"},
        note="the caller's own choice for all their certificates",
    ),
    "credentials:evidence-choice-certificate": Rule(
        allowed(OK, "owner"),
        kwargs=_serial,
        refuse_post=others_than("owner"),
        post=lambda w: {"show_name": "on"},
        note="the holder's alone, not the office's (decision 0054)",
    ),
    "credentials:credential": Rule(
        allowed(OK, "owner", "staff"),
        kwargs=_serial,
        note="403, not 404: a certificate's existence is public",
    ),
    "credentials:pdf": Rule(allowed(OK, "owner", "staff"), kwargs=_serial),
    "credentials:image": Rule(
        allowed(OK, "owner", "staff"), kwargs=lambda w: {**_serial(w), "kind": "svg"}
    ),
    "credentials:badge": Rule(
        allowed(OK, "owner", "staff"), kwargs=lambda w: {**_serial(w), "kind": "svg"}
    ),
    # --- proctors ----------------------------------------------------------------------------
    "exams:console-list": Rule(allowed(OK, "proctor", "other_proctor", "staff")),
    "exams:console": Rule(allowed(OK, "proctor", "staff"), kwargs=_pk("session")),
    "exams:session-action": Rule(
        allowed(NOT_ALLOWED, "proctor", "other_proctor", "staff"),
        kwargs=lambda w: {"pk": w.session.pk, "action": "pause-all"},
        refuse_post=others_than("proctor", "staff"),
    ),
    "exams:check-in": Rule(
        allowed(NOT_ALLOWED, "proctor", "staff", otherwise=FORBIDDEN)
        | {"other_proctor": NOT_ALLOWED},
        kwargs=_pk("booking"),
        refuse_post=others_than("proctor", "staff"),
        note="the role is checked before the method; the booking before the action",
    ),
    "exams:sitting-action": Rule(
        allowed(NOT_ALLOWED, "proctor", "other_proctor", "staff"),
        kwargs=lambda w: {"pk": w.sitting.pk, "action": "pause"},
        refuse_post=others_than("proctor", "staff"),
    ),
    # --- authors: marking and item statistics (blind) ----------------------------------------
    "exams:marking": Rule(allowed(OK, "author", "staff"), kwargs=_pk("session")),
    "exams:mark": Rule(
        allowed(NOT_ALLOWED, "author", "staff"),
        kwargs=_pk("response"),
        refuse_post=others_than("author", "staff"),
        post=lambda w: {"percent": "50"},
    ),
    "exams:statistics": Rule(allowed(OK, "author", "staff"), kwargs=_pk("session")),
    # --- examiners ---------------------------------------------------------------------------
    "portfolios:examine": Rule(allowed(OK, "examiner", "other_examiner", "staff")),
    "portfolios:detail": Rule(
        answers(NOT_FOUND, anonymous=LOGIN, owner=OK, examiner=OK, staff=OK),
        kwargs=_pk("submission"),
        note="the co-examiner has scored: the examiner reads it blind (decision 0029; what "
        "each one sees is walked in portfolios/tests/test_blind.py)",
    ),
    "portfolios:ics": Rule(
        answers(NOT_FOUND, anonymous=LOGIN, owner=OK, examiner=OK, staff=OK),
        kwargs=_pk("submission"),
    ),
    "portfolios:score": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=others_than("examiner"),
        post=lambda w: {"notes": "walk"},
    ),
    "portfolios:reconcile": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=others_than("examiner", "staff"),
        post=lambda w: {"score": "80", "note": "agreed"},
    ),
    # --- the program office ------------------------------------------------------------------
    "exams:manage": Rule(office(), refuse_post=NOT_OFFICE),
    "exams:publish": Rule(office(NOT_ALLOWED), kwargs=_pk("session"), refuse_post=NOT_OFFICE),
    "exams:release": Rule(office(NOT_ALLOWED), kwargs=_pk("session"), refuse_post=NOT_OFFICE),
    "exams:proctors": Rule(
        office(NOT_ALLOWED),
        kwargs=_pk("session"),
        refuse_post=NOT_OFFICE,
        post=lambda w: {"proctors": [w.users["other_proctor"].pk]},
    ),
    "billing:office": Rule(office()),
    "billing:payment-new": Rule(office(), refuse_post=NOT_OFFICE),
    "billing:top-up-new": Rule(office(), refuse_post=NOT_OFFICE),
    "billing:refund-transferred": Rule(
        office(NOT_ALLOWED), kwargs=lambda w: {"pk": 1}, refuse_post=NOT_OFFICE
    ),
    "billing:credit-paid-back": Rule(
        office(NOT_ALLOWED),
        kwargs=_pk("owner"),
        refuse_post=NOT_OFFICE,
        post=lambda w: {"amount": "10.00", "idempotency_key": "walk"},
    ),
    "billing:fund-chart": Rule(office()),
    "billing:revenue-csv": Rule(office()),
    "portfolios:office": Rule(office()),
    "portfolios:assign": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=NOT_OFFICE,
    ),
    "portfolios:schedule": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=NOT_OFFICE,
    ),
    "portfolios:release": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=NOT_OFFICE,
        post=lambda w: {"feedback": "walk"},
    ),
    "portfolios:reanalyse": Rule(
        signed_in(NOT_ALLOWED),
        kwargs=_pk("submission"),
        refuse_post=NOT_OFFICE,
        note="the office prepares a failed evidence report again",
    ),
    "recognition:queue": Rule(office()),
    "recognition:decide": Rule(office(), kwargs=_pk("claim", "claim_id"), refuse_post=NOT_OFFICE),
    "credentials:manage-status": Rule(
        office(),
        kwargs=_serial,
        refuse_post=NOT_OFFICE,
        post=lambda w: {"action": "revoke", "reason": "walk"},
    ),
    # --- the JSON API (docs/api.md); POST-only operations answer GET with 405 --------------
    "api-v1:api-root": Rule(public(NOT_FOUND), note="no docs page (CSP); see openapi.json"),
    "api-v1:openapi-json": Rule(public()),
    "api-v1:program": Rule(public()),
    "api-v1:sessions": Rule(public()),
    "api-v1:session": Rule(public(), kwargs=_pk("session", "session_id")),
    "api-v1:book": Rule(public(NOT_ALLOWED), kwargs=_pk("session", "session_id")),
    "api-v1:bookings": Rule(api()),
    "api-v1:booking": Rule(api_owners(), kwargs=_pk("booking", "booking_id")),
    "api-v1:cancel": Rule(public(NOT_ALLOWED), kwargs=_pk("booking", "booking_id")),
    "api-v1:attempts": Rule(api()),
    "api-v1:path": Rule(api()),
    "api-v1:me": Rule(api()),
    "api-v1:invoices": Rule(api()),
    "api-v1:invoice": Rule(api_owners(), kwargs=lambda w: {"number": w.invoice.number}),
    "api-v1:certificates": Rule(api()),
    "api-v1:certificate_evidence": Rule(public(), kwargs=_serial),
    "api-v1:evidence_choice": Rule(public(NOT_ALLOWED), note="POST the caller's choice (E2)"),
    "api-v1:claims": Rule(api()),
    "api-v1:appeals": Rule(api()),
    "api-v1:appeal_new": Rule(public(NOT_ALLOWED), note="POST an appeal of an own result (A1)"),
    "api-v1:accommodations": Rule(api()),
    "api-v1:accommodation_new": Rule(
        public(NOT_ALLOWED), note="POST a request with its documents (AC1)"
    ),
    "api-v1:challenges": Rule(api()),
    "api-v1:challenge_new": Rule(
        public(NOT_ALLOWED), note="POST a challenge of an item of an own test (C1)"
    ),
    "api-v1:verify": Rule(public(NOT_ALLOWED), note="POST a credential; stores nothing"),
    "api-v1:verifications": Rule(public(NOT_ALLOWED), note="POST up to 1,000 items"),
    "api-v1:advice": Rule(public(NOT_ALLOWED), note="POST the answers; stores nothing"),
    "api-v1:all_sessions": Rule(api(FORBIDDEN, staff=OK)),
    "api-v1:publish": Rule(public(NOT_ALLOWED), kwargs=_pk("session", "session_id")),
    # the audit trail: search and streamed exports (docs/audit.md)
    "audit:search": Rule(office()),
    "audit:export-csv": Rule(office()),
    "audit:export-jsonl": Rule(office()),
}


RULES |= {
    # --- the audit trail (the program office) ------------------------------------------------
    "audit:search": Rule(office()),
    "audit:export-csv": Rule(office()),
    "audit:export-jsonl": Rule(office()),
    # --- data-protection rights ------------------------------------------------------------------
    "privacy:your-data": Rule(signed_in(), refuse_post=("anonymous",)),
    "privacy:export": Rule(signed_in(NOT_ALLOWED), refuse_post=("anonymous",)),
    "privacy:withdraw": Rule(signed_in(NOT_ALLOWED), refuse_post=("anonymous",)),
    "privacy:queue": Rule(office()),
    "privacy:erase": Rule(
        office(NOT_ALLOWED), kwargs=_pk("owner", "user_id"), refuse_post=NOT_OFFICE
    ),
    "privacy:staff-export": Rule(
        office(NOT_ALLOWED), refuse_post=NOT_OFFICE, post=lambda w: {"email": w.owner.email}
    ),
    # --- psychometrics (the program office) ---------------------------------------------------
    "psychometrics:index": Rule(office()),
    "psychometrics:certification": Rule(office(), kwargs=lambda w: {"code": "ml-expert"}),
    "psychometrics:quality": Rule(office(), kwargs=lambda w: {"code": "ml-expert"}),
    "psychometrics:calibration-start": Rule(
        office(NOT_ALLOWED), kwargs=lambda w: {"code": "ml-expert"}, refuse_post=NOT_OFFICE
    ),
    "psychometrics:calibration": Rule(office(), kwargs=_pk("calibration")),
    "psychometrics:calibration-plot": Rule(
        office(NOT_FOUND),
        kwargs=lambda w: {"pk": w.calibration.pk, "name": "items"},
        note="the world's calibration failed, so it has no plots: 404 for the office",
    ),
    "psychometrics:calibration-item-accept": Rule(
        office(NOT_ALLOWED),
        kwargs=_pk("calibration"),
        refuse_post=NOT_OFFICE,
        note="POST only: a psychometrician accepts a flagged item (decision 0042)",
    ),
    "psychometrics:calibration-report": Rule(
        office(NOT_FOUND), kwargs=_pk("calibration"), note="no report of a failed calibration"
    ),
    "psychometrics:workshop-new": Rule(
        office(NOT_FOUND),
        kwargs=_pk("calibration"),
        refuse_post=NOT_OFFICE,
        note="no workshop on a failed calibration",
    ),
    "psychometrics:workshop": Rule(office(), kwargs=_pk("workshop")),
    "psychometrics:workshop-ratings": Rule(
        office(NOT_ALLOWED), kwargs=_pk("workshop"), refuse_post=NOT_OFFICE
    ),
    "psychometrics:workshop-upload": Rule(
        office(NOT_ALLOWED), kwargs=_pk("workshop"), refuse_post=NOT_OFFICE
    ),
    "psychometrics:workshop-adopt": Rule(
        office(NOT_ALLOWED), kwargs=_pk("workshop"), refuse_post=NOT_OFFICE
    ),
    # --- the JSON API (/api/v1/) --------------------------------------------------------------
    "api-v1:api-root": Rule(public(NOT_FOUND)),
    "api-v1:openapi-json": Rule(public()),
    "api-v1:program": Rule(public()),
    "api-v1:sessions": Rule(public()),
    "api-v1:session": Rule(public(), kwargs=_pk("session", "session_id")),
    "api-v1:verify": Rule(public(NOT_ALLOWED), note="POST a credential; stores nothing"),
    "api-v1:verifications": Rule(public(NOT_ALLOWED), note="POST up to 1,000 items"),
    "api-v1:advice": Rule(public(NOT_ALLOWED), note="POST answers; stores nothing"),
    "api-v1:me": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:path": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:bookings": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:attempts": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:invoices": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:certificates": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:certificate_evidence": Rule(public(), kwargs=_serial),
    "api-v1:evidence_choice": Rule(public(NOT_ALLOWED), refuse_post=("anonymous",)),
    "api-v1:claims": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:appeals": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:appeal_new": Rule(public(NOT_ALLOWED), refuse_post=("anonymous",)),
    "api-v1:accommodations": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:accommodation_new": Rule(public(NOT_ALLOWED), refuse_post=("anonymous",)),
    "api-v1:challenges": Rule(signed_in(anonymous=UNAUTHORIZED)),
    "api-v1:challenge_new": Rule(public(NOT_ALLOWED), refuse_post=("anonymous",)),
    "api-v1:book": Rule(
        public(NOT_ALLOWED), kwargs=_pk("session", "session_id"), refuse_post=("anonymous",)
    ),
    "api-v1:booking": Rule(owners(anonymous=UNAUTHORIZED), kwargs=_pk("booking", "booking_id")),
    "api-v1:cancel": Rule(
        public(NOT_ALLOWED),
        kwargs=_pk("booking", "booking_id"),
        refuse_post=others_than("owner", "staff"),
    ),
    "api-v1:invoice": Rule(
        owners(anonymous=UNAUTHORIZED), kwargs=lambda w: {"number": w.invoice.number}
    ),
    "api-v1:all_sessions": Rule(office(anonymous=UNAUTHORIZED)),
    "api-v1:publish": Rule(
        public(NOT_ALLOWED), kwargs=_pk("session", "session_id"), refuse_post=NOT_OFFICE
    ),
}


# --- the item bank (authors and the program office; docs/permissions.md) --------------------
BANK = ("author", "staff")


def _item(w: Any) -> Mapping[str, Any]:
    from credence.items.models import Item

    return {"pk": Item.objects.order_by("pk").values_list("pk", flat=True).first()}


RULES |= {
    "items:bank": Rule(allowed(OK, *BANK)),
    "items:import": Rule(
        allowed(OK, *BANK),
        refuse_post=others_than(*BANK),
        post=lambda w: {"certification": "ml-expert", "file_format": "gift"},
        note="the dry run stores nothing but the checked file in the asker's session",
    ),
    "items:import-confirm": Rule(
        allowed(NOT_ALLOWED, *BANK), refuse_post=others_than(*BANK), post=lambda w: {"digest": "0"}
    ),
    "items:export": Rule(allowed(OK, *BANK)),
    "items:item": Rule(allowed(OK, *BANK), kwargs=_item),
    "items:edit": Rule(
        allowed(OK, *BANK),
        kwargs=_item,
        refuse_post=others_than(*BANK),
        post=lambda w: {"action": "save", "text": "::walk:: Walk? {T}"},
    ),
    "items:retire": Rule(allowed(NOT_ALLOWED, *BANK), kwargs=_item, refuse_post=others_than(*BANK)),
    "items:reinstate": Rule(
        allowed(NOT_ALLOWED, *BANK), kwargs=_item, refuse_post=others_than(*BANK)
    ),
}


# --- Django's admin: one rule for every pattern under /admin/ -------------------------------
# Only the program office with Django's is_staff flag, or a superuser, opens the admin; the
# walk's "staff" asker has the staff role but not the flag, so it meets the admin's login page
# like everyone else; test_url_walk.test_admin checks the superuser.
ADMIN_PREFIX = "admin:"
ADMIN_ASKERS = ("anonymous", "owner", "staff")
ADMIN_ANSWER = ADMIN_LOGIN
# The admin's own sign-in and sign-out pages answer everyone.
ADMIN_RULES: dict[str, dict[str, Answer]] = {
    "admin:login": {"anonymous": OK, "owner": OK, "staff": OK, "superuser": REDIRECT},
    "admin:logout": {
        "anonymous": REDIRECT,
        "owner": REDIRECT,
        "staff": REDIRECT,
        "superuser": NOT_ALLOWED,  # the admin signs out by POST only
    },
}
