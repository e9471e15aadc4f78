from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def default_path() -> Path:
    return Path(settings.CREDENCE_DEFAULT_PROGRAM)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "minimal.toml").read_text(encoding="utf-8")
