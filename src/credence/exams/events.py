"""What happened to an attempt, published by the exams app for the apps that act on it
(decision 0055). The exams app imports none of them: billing and credentials connect their
receivers in their ``AppConfig.ready()``, and each receiver calls one service of its own app.

Every event is sent inside the transaction of the exams service that made the change, after
the change and its audit row are written, with ``send`` (not ``send_robust``): receivers run
at once, in the same transaction, so the invoice, the refund or the certificate is stored
with the result or not at all, and a receiver's error rolls the change back. Mail stays a
task row of that transaction, sent by the worker after the commit, as before.

The sender is always the ``Attempt`` model, or ``Waiver`` for a waiver; every argument is a
keyword argument:

``attempt_booked(attempt: Attempt, rules: ProgramRules, acting_user)``
    A new attempt is booked (R1-R3 and R12 allowed it); ``rules`` are the program's rules the
    booking read, so a receiver need not read them again. Billing invoices it (R7, R8).
``attempt_cancelled(attempt: Attempt, acting_user)``
    A booked attempt is cancelled. Billing issues the credit note its policy gives.
``result_released(attempt: Attempt, acting_user)``
    A result is released (R4, pass or fail; ``attempt.released_on`` is the day). Billing
    approves the refund it qualifies for (R9).
``pass_withdrawn(attempt: Attempt, since: date, today: date, reason: str, acting_user)``
    A released pass is a fail now (a challenge decision, C2); ``since`` is the day the pass
    was released. Credentials withdraws the certificates that rested on it (R12 revocation);
    a receiver returns the serials it withdrew (``list[str]``).
``completions_changed(candidate, today: date, acting_user)``
    What the candidate passed or had waived may complete a certification now: sent after a
    release, a rescore and a waiver, after the events above. Credentials awards the
    certificates due up to ``today`` (R5, R6, R12); a receiver returns the serials it
    awarded (``list[str]``).

The order is the exams service's: a release sends ``result_released`` (the refund) before
``completions_changed`` (the certificate), and a rescore ``pass_withdrawn`` before
``completions_changed``, as the services called them before the events. The serials that
receivers return reach the candidate's mail and the challenge decision's audit event
(``services.attempt_rescore``). With no receiver connected the exams app books, releases and
rescores alike and nothing else is written.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

attempt_booked = Signal()
attempt_cancelled = Signal()
result_released = Signal()
pass_withdrawn = Signal()
completions_changed = Signal()


def serials_from(responses: list[tuple[Any, Any]]) -> list[str]:
    """The serials the receivers of ``pass_withdrawn`` or ``completions_changed`` returned,
    in the order they ran."""
    return [serial for _receiver, serials in responses for serial in serials or ()]
