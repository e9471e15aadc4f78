"""The composite award's sentences (what it proves and does not prove) are derived in code, not
read from the program file: German pages read them in German, while a credential, built with
translation off, carries them in English (decision 0037)."""

from __future__ import annotations

from django.utils import translation

from credence.catalog.api import rules_from_file
from credence.credentials.selectors import describe_award


def test_the_composite_reads_in_the_readers_language_and_signs_in_english():
    rules = rules_from_file()
    with translation.override("de"):
        german = describe_award(rules, rules.composite.code)
    with translation.override(None):
        signed = describe_award(rules, rules.composite.code)
    assert german.proves[0].startswith("Besaß am Ausstellungstag gültige Zertifikate in ")
    assert german.does_not_prove[2] == (
        "Erfahrung im Betrieb von KI-Systemen in der Produktion im großen Maßstab"
    )
    assert f"mindestens {rules.composite.min_electives} Wahlzertifizierungen" in german.description
    assert signed.proves[0].startswith("Held, on the day of issue, valid certificates in ")
    assert signed.criteria.startswith(f"Awarded by {rules.provider} on the first day")
