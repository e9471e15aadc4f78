from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from credence.accommodations import api as accommodations_api
from credence.accounts.access import AuthenticatedHttpRequest
from credence.appeals import api as appeals_api
from credence.challenges import api as challenges_api
from credence.learning.selectors import path_for_candidate


@login_required
def my_path(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per certification: where the candidate stands, what is next, and why not yet."""
    candidate_path = path_for_candidate(request.user, timezone.localdate())
    return render(
        request,
        "learning/my_path.html",
        {
            "my": candidate_path,
            "appeals": appeals_api.appeals_of(request.user),
            "accommodations": accommodations_api.accommodations_of(request.user),
            "challenges": challenges_api.challenges_of(request.user),
        },
    )
