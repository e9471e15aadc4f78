"""What other apps may ask of the credentials app."""

from credence.credentials.selectors import certificate_records_for, certificates_for
from credence.credentials.services import certificates_award_due

__all__ = ["certificate_records_for", "certificates_award_due", "certificates_for"]
