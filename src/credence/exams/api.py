"""What other apps may ask of the exams app."""

from credence.exams.challenge_selectors import (
    SubmittedItem,
    SubmittedTest,
    submitted_test,
    submitted_tests_of,
)
from credence.exams.delivery_selectors import ShownItem, item_as_shown
from credence.exams.personal_data import (
    erase_user_data,
    export_user_data,
    export_user_files,
    ongoing_attempts,
    responses_purge,
)
from credence.exams.policy import History, completions, may_book
from credence.exams.results_selectors import SessionResults, released_results
from credence.exams.selectors import (
    attempt_get,
    history_for,
    proctors_of,
    released_attempts_of,
)
from credence.exams.statistics_selectors import (
    ScoredSitting,
    scored_sittings,
    sessions_part_released,
)

__all__ = [
    "History",
    "ScoredSitting",
    "SessionResults",
    "ShownItem",
    "SubmittedItem",
    "SubmittedTest",
    "attempt_get",
    "completions",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
    "history_for",
    "item_as_shown",
    "may_book",
    "ongoing_attempts",
    "proctors_of",
    "released_attempts_of",
    "released_results",
    "responses_purge",
    "scored_sittings",
    "sessions_part_released",
    "submitted_test",
    "submitted_tests_of",
]
