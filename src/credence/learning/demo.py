"""Demo preparation content, written through the learning services (demo/data.py calls it)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from credence.learning.models import PreparationResource, ResourceAccess, ResourceKind
from credence.learning.services import resource_create, suggested_projects_seed


def preparation_for_demo(*, staff: Any, today: date) -> None:
    """The suggested projects from the program file and a few resources of every kind, once."""
    suggested_projects_seed(acting_user=staff)
    if PreparationResource.objects.exists():
        return
    resource_create(
        kind=ResourceKind.WORKSHOP,
        title="Evaluating models honestly: a one-day workshop",
        provider="AI Service Centre Berlin Brandenburg",
        description="Validation schemes, leakage, calibrated metrics; bring a laptop.",
        access=ResourceAccess.FREE,
        starts_on=today + timedelta(days=21),
        ends_on=today + timedelta(days=21),
        place="Potsdam, HPI campus",
        certifications=("ml-expert",),
        topics=("model-evaluation",),
        acting_user=staff,
    )
    resource_create(
        kind=ResourceKind.BOOTCAMP,
        title="MLOps bootcamp (partner)",
        provider="Partner bootcamp",
        description="Two weeks of pipelines, versioning and monitoring, with a capstone.",
        access=ResourceAccess.PAID,
        price=Decimal("1200.00"),
        currency="EUR",
        starts_on=today + timedelta(days=45),
        ends_on=today + timedelta(days=58),
        place="Berlin",
        certifications=("mlops",),
        acting_user=staff,
    )
    resource_create(
        kind=ResourceKind.MOOC,
        title="Generative AI foundations (MOOC)",
        url="https://example.org/courses/generative-ai",
        access=ResourceAccess.FREE,
        certifications=("generative-ai",),
        topics=("language-models", "text-generation", "image-generation"),
        acting_user=staff,
    )
    resource_create(
        kind=ResourceKind.STUDY_GUIDE,
        title="Study guide: Responsible AI",
        url="https://example.org/study-guides/responsible-ai",
        description="Free readings for every topic, with paid textbooks marked as such.",
        access=ResourceAccess.FREE_AND_PAID,
        certifications=("responsible-ai",),
        acting_user=staff,
    )
    resource_create(
        kind=ResourceKind.BLOG_POST,
        title="Where Computer Vision and NLP meet Generative AI",
        url="https://example.org/blog/overlaps",
        access=ResourceAccess.FREE,
        topics=("image-generation", "text-generation"),
        acting_user=staff,
    )
