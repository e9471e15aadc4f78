"""Writes of the learning app: a candidate's chosen electives, and seeding the suggested
portfolio projects from the program file. Resources and projects are otherwise staff content,
edited in the admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.learning.models import PathPlan, PreparationResource, SuggestedProject


@transaction.atomic
def path_plan_save(*, candidate: User, electives: list[str], acting_user: User) -> PathPlan:
    """Record the electives a candidate plans to take (any of the program's electives)."""
    rules = catalog_api.program_rules()
    unknown = set(electives) - set(rules.composite.electives)
    if unknown:
        raise ValueError(
            _("Not an elective of the program: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
        )
    chosen = [code for code in rules.composite.electives if code in electives]
    plan, created = PathPlan.objects.select_for_update().get_or_create(
        candidate=candidate, defaults={"electives": chosen}
    )
    before = None if created else {"electives": list(plan.electives)}
    if not created and plan.electives == chosen:
        return plan
    plan.electives = chosen
    plan.save(update_fields=["electives", "updated_at"])
    record(
        action="path_plan.saved",
        subject=plan,
        actor=acting_user,
        subject_user=candidate,
        before=before,
        after={"electives": chosen},
    )
    return plan


@transaction.atomic
def suggested_projects_seed(*, acting_user: User | None = None) -> int:
    """Create a project page for each of the program file's ``suggested_projects`` that has
    none yet; returns how many were created. Staff edits and additions are left alone, and a
    project staff deleted is not brought back while its certification has other projects."""
    program = catalog_api.program_model()
    created = 0
    for certification in catalog_api.certifications_for(program):
        if certification.suggested_project_rows.filter(from_program_file=True).exists():
            continue
        for position, title in enumerate(certification.suggested_projects, start=1):
            project, new = SuggestedProject.objects.get_or_create(
                certification=certification,
                title=title,
                defaults={"position": position, "from_program_file": True},
            )
            if new:
                created += 1
                record(action="suggested_project.seeded", subject=project, actor=acting_user)
    return created


@transaction.atomic
def resource_create(
    *,
    kind: str,
    title: str,
    acting_user: User,
    certifications: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    **fields: Any,
) -> PreparationResource:
    """Add a preparation resource (staff also do this in the admin), checked like the
    admin's form checks it: an event has dates and a place, the rest a link."""
    resource = PreparationResource(kind=kind, title=title, **fields)
    resource.full_clean()
    resource.save()
    program = catalog_api.program_model()
    resource.certifications.set(
        catalog_api.certifications_for(program).filter(code__in=certifications)
    )
    resource.topics.set(program.topics.filter(code__in=topics))
    record(
        action="resource.created",
        subject=resource,
        actor=acting_user,
        after={"kind": kind, "title": title, "certifications": list(certifications)},
    )
    return resource
