"""Background work of the portfolios app, run by `credence worker` (django-tasks-db)."""

from __future__ import annotations

from django_tasks import task


@task()
def analyse_submission(*, submission_id: int) -> None:
    """Clone the repository at the pinned commit and store its evidence report."""
    from credence.portfolios import services  # services enqueue this task: import at run time

    services.submission_analyse(submission_id=submission_id)
