"""The program file's texts in German (issue 19 item 7, decision 0037): stored on load, read in
the active language with English where a text has no translation; the stored (English) values
are what saving, forms and the admin see; a bad translation key stops the load."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse
from django.utils import translation

from credence.catalog import api
from credence.catalog.models import Certification, Program, Topic
from credence.catalog.policy import TRANSLATION_LANGUAGES
from credence.catalog.programfile import ProgramFileError, check_program_text
from credence.catalog.services import program_load_file
from credence.catalog.tests.programs import default_text, load_text
from credence.catalog.tests.test_services import snapshot


def test_the_file_may_translate_into_each_language_of_the_site_but_english():
    assert (
        tuple(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        == TRANSLATION_LANGUAGES
    )


@pytest.mark.django_db
def test_german_texts_are_read_in_german_and_english_stays_stored():
    program_load_file()
    ml = Certification.objects.get(code="ml-expert")

    assert ml.name.startswith("Training, Evaluating")
    with translation.override("de"):
        assert ml.name.startswith("Trainieren, Bewerten und Bereitstellen")
        assert ml.proves[0].startswith("Hat einen beaufsichtigten Test")
        assert ml.program.name == "KI-Ingenieur-Zertifizierung"
        assert ml.program.composite_name == "KI-Ingenieur"
        assert Topic.objects.get(code="fairness").name == "Fairness und Verzerrungen"
        rules = api.program_rules()
        assert rules.certification("responsible-ai").name == "Verantwortungsvolle KI"
        assert rules.evaluation("knowledge-test").name == "Wissenstest"
        assert rules.composite.name == "KI-Ingenieur"
        assert rules.cohorts[0].name == "Erste Kohorte 2026"
        assert next(t.name for t in rules.topics_of("ml-expert")) == "Überwachtes Lernen"
        # what forms, the admin and backups read is the stored English
        form = modelform_factory(Certification, fields=["name", "proves"])(instance=ml)
        assert form.initial["name"].startswith("Training, Evaluating")
        # saving in German keeps the English text, and a full clean does not swap it in
        ml.full_clean()
        ml.save()
    ml.refresh_from_db()
    assert ml.name.startswith("Training, Evaluating")
    # the rules in English are kept apart from the German ones
    assert api.program_rules().certification("responsible-ai").name == "Responsible AI"


@pytest.mark.django_db
def test_a_text_without_translation_reads_in_english():
    untranslated = '[program.translations.de]\nname = "KI-Ingenieur-Zertifizierung"\n'
    load_text(default_text().replace(untranslated, ""))
    with translation.override("de"):
        assert Program.objects.get().name == "AI Engineer Certification"
        # a deferred column is read before it is translated
        assert (
            Certification.objects.only("code")
            .get(code="mlops")
            .description.startswith("Ein Modell vom Notebook")
        )


@pytest.mark.django_db
def test_a_german_page_shows_the_certifications_in_german():
    program_load_file()
    page = Client(headers={"accept-language": "de"}).get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Verantwortungsvolle KI" in text
    assert "Responsible AI" not in text


@pytest.mark.parametrize(
    ("written", "path", "words"),
    [
        ('[program.translations.de]\nnmae = "X"', "program.translations.de.nmae", "did you mean"),
        ('[program.translations.fr]\nname = "X"', "program.translations.fr", "Allowed keys: de"),
        ("[program.translations.de]\nname = 3", "program.translations.de.name", "text in quotes"),
        ('[program.translations.de]\nname = " "', "program.translations.de.name", "empty"),
    ],
)  # fmt: skip
def test_a_bad_translation_is_refused_with_its_key_and_line(written, path, words):
    text = default_text().replace(
        '[program.translations.de]\nname = "KI-Ingenieur-Zertifizierung"', written
    )
    header, key = written.splitlines()
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="p.toml")
    [problem] = caught.value.problems
    assert problem.path == path
    assert words in problem.message
    written_on = header if path.endswith(".fr") else key
    assert text.splitlines()[problem.line - 1] == written_on


@pytest.mark.django_db
def test_a_bad_translation_key_in_a_certification_stores_nothing():
    program_load_file()
    before = snapshot()
    text = default_text().replace(
        '[certifications.translations.de]\nname = "MLOps"\n',
        '[certifications.translations.de]\nname = "MLOps"\nprovse = ["Irgendwas"]\n',
    )
    with pytest.raises(ProgramFileError) as caught:
        load_text(text)
    [problem] = caught.value.problems
    assert problem.path == "certifications[1].translations.de.provse"
    assert 'did you mean "proves"' in problem.message
    assert text.splitlines()[problem.line - 1] == 'provse = ["Irgendwas"]'
    assert snapshot() == before


@pytest.mark.django_db
def test_the_office_edits_the_english_text_in_the_german_admin(admin_client):
    program_load_file()
    certification = Certification.objects.get(code="responsible-ai")
    url = reverse("admin:catalog_certification_change", args=[certification.pk])
    page = admin_client.get(url, headers={"accept-language": "de"}).content.decode()
    assert 'value="Responsible AI"' in page
    assert "Verantwortungsvolle KI" in page  # in the translations field, beside it
    program = admin_client.get(
        reverse("admin:catalog_program_change", args=[certification.program_id]),
        headers={"accept-language": "de"},
    ).content.decode()
    assert "Übersetzungen" in program and "KI-Ingenieur-Zertifizierung" in program


def test_a_translated_criterion_the_rubric_does_not_have_is_refused():
    text = default_text().replace(
        'criteria = { problem-framing = "Problemstellung"',
        'criteria = { problem-farming = "Problemstellung"',
        1,
    )
    with pytest.raises(ProgramFileError) as caught:
        check_program_text(text, source="p.toml")
    [problem] = caught.value.problems
    assert problem.path == "certifications[0].translations.de.criteria.problem-farming"
    assert "not one of this certification's rubric criteria" in problem.message
    assert text.splitlines()[problem.line - 1].startswith("criteria = { problem-farming")


@pytest.mark.django_db
def test_the_criteria_names_come_in_the_active_language():
    program_load_file()
    ml = Certification.objects.get(code="ml-expert")
    assert api.criterion_names(ml) == {}
    with translation.override("de"):
        assert api.criterion_names(ml)["evaluation-rigour"] == "Gründlichkeit der Bewertung"
