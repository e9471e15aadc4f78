"""Fixtures for the accommodations tests: the office, a candidate, supporting documents and
a private folder for them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "certificate.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def person(local: str, *roles: Role) -> User:
    user = User.objects.create_user(
        f"{local}@example.invalid", "x" * 12, full_name=local.replace("_", " ").title()
    )
    for role in roles:
        user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR = tmp_path / "documents"
    return settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR


@pytest.fixture
def office(db):
    return person("olivia_office", Role.STAFF)


@pytest.fixture
def candidate(db):
    return person("carla_candidate", Role.CANDIDATE)
