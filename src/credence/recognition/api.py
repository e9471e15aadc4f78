"""What other apps may call: loading the signal guide, the rating shown beside a claim,
filing a claim (the demo files one through the same service as the page)."""

from credence.recognition.personal_data import (
    erase_user_data,
    evidence_purge,
    export_user_data,
    export_user_files,
)
from credence.recognition.selectors import entry_for_signal_guide_name
from credence.recognition.services import claim_file, signal_guide_load

__all__ = [
    "claim_file",
    "entry_for_signal_guide_name",
    "erase_user_data",
    "evidence_purge",
    "export_user_data",
    "export_user_files",
    "signal_guide_load",
]
