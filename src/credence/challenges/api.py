"""What other apps may ask of the challenges app."""

from credence.challenges.personal_data import erase_user_data, export_user_data
from credence.challenges.selectors import challenges_of

__all__ = ["challenges_of", "erase_user_data", "export_user_data"]
