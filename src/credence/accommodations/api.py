"""What other apps may ask of the accommodations app: which approved accommodations apply
to a candidate on a day (rule AC3), and how they lengthen a time. The exams and portfolios
apps read it; it reads neither (decision 0052)."""

from credence.accommodations.personal_data import (
    documents_purge,
    erase_user_data,
    export_user_data,
    export_user_files,
)
from credence.accommodations.policy import extended_minutes
from credence.accommodations.selectors import (
    OnTheDay,
    accommodations_of,
    on_the_day,
    time_factor_for,
)

__all__ = [
    "OnTheDay",
    "accommodations_of",
    "documents_purge",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
    "extended_minutes",
    "on_the_day",
    "time_factor_for",
]
