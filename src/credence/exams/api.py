"""What other apps may ask of the exams app."""

from credence.exams.policy import History, completions, may_book
from credence.exams.selectors import history_for

__all__ = ["History", "completions", "history_for", "may_book"]
