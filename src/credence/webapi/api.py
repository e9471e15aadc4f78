"""What other apps may ask of the webapi app: a person's API tokens (privacy)."""

from credence.webapi.personal_data import erase_user_data, export_user_data

__all__ = ["erase_user_data", "export_user_data"]
