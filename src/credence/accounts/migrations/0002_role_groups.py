"""Create one group per role (accounts.models.Role): roles are Django groups of that name."""

from __future__ import annotations

from django.db import migrations

# The values of accounts.models.Role when this migration was written; migrations must not
# import models, which may change later.
ROLES = ("candidate", "proctor", "examiner", "author", "staff")


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Reversing leaves the groups: they may have members and permissions by then.
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
