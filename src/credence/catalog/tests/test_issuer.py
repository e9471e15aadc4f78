"""The ``[issuer]`` table (issue 19 item 6, decision 0034): who issues invoices, credit notes and
refund statements, checked when the file is checked, stored by ``program load``, read back from
the catalog."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credence.catalog import api
from credence.catalog.models import Program
from credence.catalog.programfile import ProgramFileError, check_program_text
from credence.catalog.services import program_load_file
from credence.catalog.tests.programs import default_text
from credence.catalog.tests.test_services import snapshot

DEFAULT_IBAN = 'iban = "DE89 3704 0044 0532 0130 00"'


def with_issuer_line(old: str, new: str) -> str:
    text = default_text()
    assert text.count(old) == 1
    return text.replace(old, new)


@pytest.mark.django_db
def test_load_stores_the_issuer_and_the_rules_carry_it():
    program_load_file()
    issuer = api.program_rules().issuer
    assert issuer is not None
    assert issuer.legal_name == "Example Certification Institute gGmbH (fictitious)"
    assert issuer.address == ("Musterstraße 1", "10115 Berlin", "Germany")
    assert issuer.iban == "DE89370400440532013000"  # stored without spaces
    assert issuer.iban_grouped == "DE89 3704 0044 0532 0130 00"
    assert issuer.bic == "COBADEFFXXX"
    assert "fictitious" in issuer.note
    assert Program.objects.get().issuer["tax_number"] == "00/000/00000 (fictitious)"


def test_the_issuer_table_is_optional(minimal_text):
    assert check_program_text(minimal_text, source="t.toml").to_rules().issuer is None


ADDRESS = 'address = ["Musterstraße 1", "10115 Berlin", "Germany"]'
TAX = 'tax_number = "00/000/00000 (fictitious)"'
NAME = 'legal_name = "Example Certification'


@pytest.mark.parametrize(
    ("old", "new", "path", "phrase"),
    [
        (DEFAULT_IBAN, 'iban = "DE00 0000 0000 0000 0000 00"', "issuer.iban", "check digits"),
        (DEFAULT_IBAN, 'iban = "DE89 3704 0044 0532 0130 01"', "issuer.iban", "placeholder"),
        (DEFAULT_IBAN, 'iban = "de89370400440532013000"', "issuer.iban", "not written as an IBAN"),
        ('bic = "COBADEFFXXX"', 'bic = "COBA"', "issuer.bic", "is not a BIC"),
        (TAX, 'tax_number = " "', "issuer.tax_number", "empty"),
        (ADDRESS, "address = []", "issuer.address", "at least one"),
        (NAME, 'legalname = "Example Certification', "issuer.legalname", '"legal_name"?'),
    ],
)
def test_a_bad_issuer_value_is_reported_at_its_key_and_line(old, new, path, phrase):
    text = with_issuer_line(old, new)
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="t.toml")
    problems = [p for p in caught.value.problems if p.path == path]
    assert [phrase in p.message for p in problems] == [True], caught.value.problems
    assert text.splitlines()[problems[0].line - 1].startswith(f"{path.split('.')[1]} = ")


@pytest.mark.django_db
def test_a_bad_iban_is_refused_at_load_with_key_and_line_and_nothing_is_stored(tmp_path):
    program_load_file()
    before = snapshot()
    text = with_issuer_line(DEFAULT_IBAN, 'iban = "DE00 0000 0000 0000 0000 00"')
    line = text.splitlines().index('iban = "DE00 0000 0000 0000 0000 00"') + 1
    path = tmp_path / "placeholder-iban.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("program", "load", str(path), stderr=(err := StringIO()))

    assert caught.value.returncode == 2
    assert (
        f'{path}:{line}: issuer.iban: "DE00 0000 0000 0000 0000 00" fails the IBAN check digits'
        in err.getvalue()
    )
    assert snapshot() == before
