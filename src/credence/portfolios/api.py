"""What other apps may ask of the portfolios app."""

from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.personal_data import (
    erase_user_data,
    export_user_data,
    in_evaluation,
    reports_purge,
)
from credence.portfolios.selectors import (
    PortfolioEvidence,
    evaluated_portfolio,
    examiners_of,
    report_bytes,
    report_digest,
    stored_report,
    submissions_of,
)

__all__ = [
    "AnalysisError",
    "PortfolioEvidence",
    "analyze",
    "erase_user_data",
    "evaluated_portfolio",
    "examiners_of",
    "export_user_data",
    "in_evaluation",
    "report_bytes",
    "report_digest",
    "reports_purge",
    "stored_report",
    "submissions_of",
]
