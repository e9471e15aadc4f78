"""What other apps may ask of the portfolios app."""

from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.selectors import submissions_of

__all__ = ["AnalysisError", "analyze", "submissions_of"]
