"""The completeness guard: every model annotated ``.. pii:`` that relates to a user must be
covered by some app's export and some app's erasure (privacy/registry.py), so that a new model
holding personal data cannot be forgotten. And every Credence model says whether it holds
personal data at all."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from credence.accounts.models import User
from credence.privacy import registry

PII = re.compile(r"^\s*\.\. pii:", re.MULTILINE)
NO_PII = re.compile(r"^\s*\.\. no_pii:", re.MULTILINE)


def credence_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("credence.")]


def relates_to_user(model: type[models.Model]) -> bool:
    """Whether a chain of foreign keys (or many-to-many fields) leads from ``model`` to the
    user model, e.g. Response -> Sitting -> Booking -> Attempt -> User."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    seen, queue = {model}, deque([model])
    while queue:
        current = queue.popleft()
        if current is user:
            return True
        for field in current._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                target = field.related_model
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return False


def pii_models_of_users() -> list[str]:
    return sorted(
        m._meta.label_lower
        for m in credence_models()
        if PII.search(m.__doc__ or "") and relates_to_user(m)
    )


def test_every_credence_model_says_whether_it_holds_personal_data():
    unannotated = [
        m._meta.label
        for m in credence_models()
        if not PII.search(m.__doc__ or "") and not NO_PII.search(m.__doc__ or "")
    ]
    assert unannotated == [], "add a '.. pii:' or '.. no_pii:' line to: " + ", ".join(unannotated)


def test_the_guard_finds_the_models_it_must():
    found = pii_models_of_users()
    # a sample across apps, direct and indirect links to the user
    for label in (
        "accounts.user",
        "exams.response",
        "billing.invoice",
        "recognition.claimevidence",
    ):
        assert label in found
    assert "catalog.program" not in found


@pytest.mark.django_db
def test_every_personal_data_model_is_exported_and_erased():
    person = User.objects.create_user("pat@example.invalid", "x" * 12, full_name="Pat Person")
    exported: set[str] = set()
    for section in registry.SECTIONS:
        exported |= set(section.export_user_data(person))
    erased: set[str] = set()
    now = timezone.now()
    for section in registry.SECTIONS:
        erased |= set(section.erase_user_data(person, now=now))
    wanted = set(pii_models_of_users())
    assert wanted - exported == set(), "no export covers these personal-data models"
    assert wanted - erased == set(), "no erasure covers these personal-data models"
