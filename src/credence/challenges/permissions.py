"""Who may see and decide item challenges (docs/permissions.md): the candidate sees their own;
authors and the program office review them and decide the item (rule C2)."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser

from credence.accounts.access import is_author, is_office
from credence.accounts.models import User
from credence.challenges.models import Challenge


@rules.predicate
def filed_challenge(user: User | AnonymousUser, challenge: Challenge) -> bool:
    return challenge is not None and bool(user.pk) and challenge.candidate_id == user.pk


rules.add_perm("challenges.read_challenge", filed_challenge | is_author | is_office)
rules.add_perm("challenges.decide_challenge", is_author | is_office)
