"""The live-exam bench's reference, served beside the product by the same server (bench only,
never part of the product; ``exam_reference_settings`` mounts it):

- ``/bench/bare-answer/<sitting>/``: the bare endpoint of issue 14, the same single-row
  upsert of an answer as the test page's autosave, behind the same middleware, session and
  login, without the exam's rules (whose test, the deadline, the item's options, the lock);
- ``bench_task``: a background task that notes each run in a file, so that the bench can
  tell whether two workers ever ran one task twice.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_POST
from django_tasks import task

from credence.exams.models import Response
from credence.urls import urlpatterns as product_urlpatterns

TASK_RUNS = "bench-task-runs"


@login_required
@require_POST
def bare_answer(request: HttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    Response.objects.bulk_create(
        [
            Response(
                sitting_id=pk,
                position=int(request.POST["position"]),
                version_id=int(request.POST["version"]),
                answer={"choice": int(request.POST["choice"])},
                flagged=False,
                saved_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["sitting", "position"],
        update_fields=["version", "answer", "flagged", "saved_at"],
    )
    saved_at = time_format(timezone.localtime(now), "H:i:s")
    return HttpResponse(f'<span class="save-ok">Saved at {saved_at}</span>')


@task()
def bench_task(*, number: int, seconds: float) -> None:
    # one short line per run as it starts, appended (O_APPEND: two workers' lines never
    # interleave); then the task's work, so that a worker can be killed in the middle of one
    with (Path(settings.VAR_DIR) / TASK_RUNS).open("a") as runs:
        runs.write(f"{number}\n")
    time.sleep(seconds)


urlpatterns = [
    path("bench/bare-answer/<int:pk>/", bare_answer),
    *product_urlpatterns,
]
