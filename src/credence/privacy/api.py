"""What other apps may ask of the privacy app."""

from __future__ import annotations

from credence.privacy.personal_data import erase_user_data, export_user_data

__all__ = ["erase_user_data", "export_user_data"]
