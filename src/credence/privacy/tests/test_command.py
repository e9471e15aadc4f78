"""``credence privacy export EMAIL FILE``."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_export_writes_the_zip(carla, tmp_path):
    target = tmp_path / "carla.zip"
    out = io.StringIO()
    call_command("privacy", "export", "Carla@example.invalid", str(target), stdout=out)
    assert f"account {carla.user.pk}" in out.getvalue()
    document = json.loads(zipfile.ZipFile(target).read("data.json"))
    assert document["user"]["email"] == carla.email


def test_export_of_an_unknown_address_fails_clearly(db, tmp_path):
    target = tmp_path / "nobody.zip"
    with pytest.raises(CommandError, match="no account has the e-mail address"):
        call_command("privacy", "export", "nobody@example.invalid", str(target))
    assert not target.exists()


def test_export_to_an_unwritable_place_fails_clearly(carla, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("privacy", "export", carla.email, str(tmp_path / "missing" / "x.zip"))
