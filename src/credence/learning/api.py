"""What other apps may ask of the learning app: the candidate's personal data (privacy), and
preparation resources per topic (the diagnostic score report, exams)."""

from __future__ import annotations

from credence.learning.personal_data import erase_user_data, export_user_data
from credence.learning.selectors import ResourceLink, resources_for_topics

__all__ = ["ResourceLink", "erase_user_data", "export_user_data", "resources_for_topics"]
