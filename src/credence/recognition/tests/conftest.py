from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.recognition.services import signal_guide_load

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OPEN_BADGE = (
    b'{"@context": ["https://www.w3.org/ns/credentials/v2", '
    b'"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], '
    b'"type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": "x"}}'
)

# the advisor's five questions, answered (the page and the API take the same)
ANSWERS = {
    "fundamentals_done": True,
    "cloud": "gcp",
    "role": "ml-engineer",
    "hands_on_ml": True,
    "portfolio": False,
}


def pdf(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.CREDENCE_CLAIM_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.CREDENCE_CLAIM_EVIDENCE_DIR


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def guide(db):
    signal_guide_load()


@pytest.fixture
def staff(db):
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


@pytest.fixture
def candidate(db):
    user = User.objects.create_user("cand@example.invalid", "x" * 12, full_name="Cand Idate")
    user_assign_role(user=user, role=Role.CANDIDATE, acting_user=None)
    return user
