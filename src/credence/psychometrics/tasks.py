"""Background tasks of the psychometrics app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from credence.psychometrics.calibration_services import calibration_run


@task()
def run_calibration(*, calibration_id: int) -> None:
    """Calibrate a queued calibration's items on the sittings submitted by now."""
    calibration_run(calibration_id=calibration_id, now=timezone.now())
