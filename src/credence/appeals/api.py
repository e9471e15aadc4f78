"""What other apps may ask of the appeals app."""

from credence.appeals.personal_data import erase_user_data, export_user_data
from credence.appeals.selectors import appeals_of

__all__ = ["appeals_of", "erase_user_data", "export_user_data"]
