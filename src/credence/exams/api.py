"""What other apps may ask of the exams app."""

from credence.exams.delivery_selectors import ShownItem, item_as_shown
from credence.exams.personal_data import erase_user_data, export_user_data, export_user_files
from credence.exams.policy import History, completions, may_book
from credence.exams.results_selectors import SessionResults, released_results
from credence.exams.selectors import history_for
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
    "completions",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
    "history_for",
    "item_as_shown",
    "may_book",
    "released_results",
    "scored_sittings",
    "sessions_part_released",
]
