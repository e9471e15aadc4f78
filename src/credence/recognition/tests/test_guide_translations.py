"""The signal guide's headings, categories and guidance pages in German (issue 19 item 7,
decision 0037): loaded from ``signal_guide.de.json`` beside the guide, shown to a German
reader; a translation that does not fit the guide is refused and nothing is loaded."""

from __future__ import annotations

import json
import shutil

import pytest
from django.test import Client

from credence.recognition.models import GuidancePage, GuideEntry, SignalCategoryNote
from credence.recognition.services import (
    SIGNAL_GUIDE_FILE,
    GuideTranslationError,
    signal_guide_load,
)

GERMAN = SIGNAL_GUIDE_FILE.with_name("signal_guide.de.json")


def german(path: str, **headers: str) -> str:
    response = Client(headers={"accept-language": "de", **headers}).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_german_reader_gets_the_guide_s_headings_and_pages_in_german(guide):
    page = german("/guide/about/the-brutal-truth/")
    assert "Die ungeschönte Wahrheit" in page
    assert "Die meisten KI-Zertifizierungen sind wertlos." in page
    assert "The Brutal Truth" not in page
    index = german("/guide/")
    assert "Die ungeschönte Wahrheit" in index and "Bewertungskriterien" in index
    assert "Diese Zertifizierungen weisen echte Kompetenz nach." in index
    assert "Technische Tiefe" in german("/guide/about/evaluation-criteria/")
    # an English reader reads the guide as written
    english = Client(headers={"accept-language": "en"}).get("/guide/").content.decode()
    assert "The Brutal Truth" in english and "Die ungeschönte" not in english


def test_a_german_reader_gets_the_guide_s_entries_in_german(guide):
    page = german("/guide/google-professional-machine-learning-engineer/")
    assert "Praktische Fähigkeiten im ML-Engineering" in page
    assert "Sie arbeiten mit GCP oder haben es vor" in page
    assert "ca. 200 $" in page
    assert "Practical ML engineering capability" not in page
    entry = GuideEntry.objects.get(slug="google-professional-machine-learning-engineer")
    # a condition keeps the guide's code for the advisor; only its text is German
    condition = entry.translations["de"]["worth_pursuing_if"][1]
    assert condition == {
        "text": "Sie arbeiten mit GCP oder haben es vor",
        "when": "cloud:gcp",
        "against": False,
    }
    assert (
        "ungeschönte"
        not in Client(headers={"accept-language": "en"})
        .get("/guide/google-professional-machine-learning-engineer/")
        .content.decode()
    )


def test_the_stored_texts_stay_english_with_the_german_beside_them(guide):
    page = GuidancePage.objects.get(slug="the-brutal-truth")
    assert page.title == "The Brutal Truth"
    assert page.translations["de"]["title"] == "Die ungeschönte Wahrheit"
    note = SignalCategoryNote.objects.get(category="high")
    assert note.translations["de"]["title"] == "Starkes Signal (selten)"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["guidance"].update(nowhere={"title": "X"}), "guidance.nowhere: the guide has"),
        (lambda d: d["categories"]["high"].update(name="X"), "only title and description"),
        (lambda d: d["guidance"]["final-warning"]["blocks"].pop(), "final-warning.blocks"),
        (lambda d: d["entries"]["aws-certified-ai-practitioner"]["proves"].pop(), "give 3 line"),
        (lambda d: d["entries"]["aws-certified-ai-practitioner"].update(reality="X"), "no such"),
        (lambda d: d["entries"]["aws-certified-ai-practitioner"].update(name="X"), "no such"),
    ],
)
def test_a_translation_that_does_not_fit_the_guide_is_refused(db, tmp_path, change, words):
    shutil.copy(SIGNAL_GUIDE_FILE, tmp_path / "signal_guide.json")
    data = json.loads(GERMAN.read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "signal_guide.de.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GuideTranslationError, match=words):
        signal_guide_load(path=tmp_path / "signal_guide.json")
    assert not GuideEntry.objects.exists()
    assert not GuidancePage.objects.exists()
