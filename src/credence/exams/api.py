"""What other apps may ask of the exams app: its reads, its events (``events``) and the ports
through which it asks apps above it (``provide_...``, decision 0055)."""

from credence.exams import events
from credence.exams.models import Attempt
from credence.exams.personal_data import (
    erase_user_data,
    export_user_data,
    export_user_files,
    ongoing_attempts,
    responses_purge,
)
from credence.exams.policy import (
    CertificateRecord,
    History,
    completions,
    latest,
    may_book,
    recertification_opens,
)
from credence.exams.ports import (
    Equating,
    ResourceLink,
    provide_certificates,
    provide_equating,
    provide_resources,
)
from credence.exams.scoring.challenges import (
    SubmittedItem,
    SubmittedTest,
    submitted_test,
    submitted_tests_of,
)
from credence.exams.scoring.results import SessionResults, released_results
from credence.exams.scoring.selectors import Rescored, RescoreRefused, rescore_preview
from credence.exams.scoring.services import sittings_rescore
from credence.exams.scoring.statistics import (
    ScoredSitting,
    scored_sittings,
    sessions_part_released,
)
from credence.exams.selectors import (
    attempt_get,
    history_for,
    proctors_of,
    released_attempts_of,
)
from credence.exams.services import (
    BookingRefused,
    attempt_book,
    attempt_record_result,
    waiver_grant,
)
from credence.exams.sessions.selectors import live_evaluation, published_upcoming, session_day
from credence.exams.statuses import AttemptStatus

__all__ = [
    "Attempt",
    "AttemptStatus",
    "BookingRefused",
    "CertificateRecord",
    "Equating",
    "History",
    "RescoreRefused",
    "Rescored",
    "ResourceLink",
    "ScoredSitting",
    "SessionResults",
    "SubmittedItem",
    "SubmittedTest",
    "attempt_book",
    "attempt_get",
    "attempt_record_result",
    "completions",
    "erase_user_data",
    "events",
    "export_user_data",
    "export_user_files",
    "history_for",
    "latest",
    "live_evaluation",
    "may_book",
    "ongoing_attempts",
    "proctors_of",
    "provide_certificates",
    "provide_equating",
    "provide_resources",
    "published_upcoming",
    "recertification_opens",
    "released_attempts_of",
    "released_results",
    "rescore_preview",
    "responses_purge",
    "scored_sittings",
    "session_day",
    "sessions_part_released",
    "sittings_rescore",
    "submitted_test",
    "submitted_tests_of",
    "waiver_grant",
]
