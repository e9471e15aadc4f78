"""What other apps may ask of the portfolios app."""

from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.personal_data import erase_user_data, export_user_data
from credence.portfolios.selectors import examiners_of, submissions_of

__all__ = [
    "AnalysisError",
    "analyze",
    "erase_user_data",
    "examiners_of",
    "export_user_data",
    "submissions_of",
]
