"""The product's settings with the live-exam bench's reference mounted (bench only)."""

from credence.settings import *  # noqa: F403

ROOT_URLCONF = "exam_reference"
