"""The committed signal guide data: all of seed 001, repaired, and the builder that made it."""

from __future__ import annotations

import json
import re

import pytest

from credence.recognition.models import GuidancePage, GuideEntry, SignalCategoryNote
from credence.recognition.policy import PREDICATES
from credence.recognition.services import SIGNAL_GUIDE_FILE, signal_guide_load

from tools import build_signal_guide

GUIDE = json.loads(SIGNAL_GUIDE_FILE.read_text(encoding="utf-8"))
MOJIBAKE = re.compile("â€|ðŸ|Ã")


def by_category(category):
    return [e["name"] for e in GUIDE["entries"] if e["category"] == category]


def test_every_rated_certification_and_every_kind_to_avoid_is_there():
    assert by_category("high") == [
        "Google Professional Machine Learning Engineer",
        "AWS Certified Machine Learning - Specialty",
        "TensorFlow Developer Certificate",
    ]
    assert by_category("moderate") == [
        "Microsoft Azure AI Engineer Associate",
        "IBM AI Engineering Professional Certificate (Coursera)",
        "DeepLearning.AI TensorFlow Developer Professional Certificate",
    ]
    assert by_category("low") == [
        "AI+ Individual Certification (AI Certs)",
        "AWS Certified AI Practitioner",
        "Microsoft Azure AI Fundamentals",
        'Most Coursera/edX "Professional Certificates"',
    ]
    assert len(by_category("avoid")) == 4


def test_rated_entries_carry_every_field_of_the_seed():
    for entry in GUIDE["entries"]:
        if entry["category"] in ("high", "moderate"):
            for field in ("proves", "does_not_prove", "worth_pursuing_if", "not_worth_it_if"):
                assert len(entry[field]) == 4 or entry[field], (entry["name"], field)
            assert entry["prerequisites"] and entry["study_time"] and entry["cost"]
        elif entry["category"] == "avoid":
            assert len(entry["why_avoid"]) == 4
            assert entry.get("reality") or entry.get("exception")
        assert set(entry["criteria"]) == set(build_signal_guide.CRITERIA_NAMES)
        assert entry["criteria_rationale"]
    google = GUIDE["entries"][0]
    assert google["cost"] == "~$200"
    assert google["study_time"] == "2-3 months (with prerequisites)"
    assert google["does_not_prove"][2] == "Ability to work outside GCP ecosystem"
    ai_plus = next(
        e for e in GUIDE["entries"] if e["slug"] == "ai-plus-individual-certification-ai-certs"
    )
    assert ai_plus["signal_to_hiring_managers"] == ["Noise at best, red flag at worst"]


def test_the_mojibake_is_repaired_and_the_markers_dropped():
    text = SIGNAL_GUIDE_FILE.read_text(encoding="utf-8")
    assert not MOJIBAKE.search(text)
    assert "🟡" not in text and "🔴" not in text
    prompt = next(e for e in GUIDE["entries"] if e["slug"] == "prompt-engineering-certificates")
    assert "early 2000s—useful for end users" in prompt["reality"]


def test_the_guidance_sections_are_there_in_order():
    slugs = [page["slug"] for page in GUIDE["guidance"]]
    assert slugs == list(build_signal_guide.GUIDANCE.values())
    honest = next(p for p in GUIDE["guidance"] if p["slug"] == "the-honest-recommendation")
    assert {"kind": "subheading", "text": "For 90% of learners"} in honest["blocks"]
    hiring = next(p for p in GUIDE["guidance"] if p["slug"] == "what-hiring-managers-look-for")
    ordered = next(b for b in hiring["blocks"] if b["kind"] == "list")
    assert ordered["ordered"] and len(ordered["items"]) == 6


def test_every_condition_code_is_one_the_advisor_understands():
    for entry in GUIDE["entries"]:
        for line in entry.get("worth_pursuing_if", []) + entry.get("not_worth_it_if", []):
            assert line["when"] == "" or line["when"] in PREDICATES, line


def test_the_builder_repairs_mojibake_and_refuses_unknown_fields():
    seed = (
        "# Guide\n\n## Categories\n\n### Moderate Signal\n\nSome value.\n\n"
        "#### \u00f0\u0178\u0178\u00a1 Microsoft Azure AI Engineer Associate\n\n"
        "**What it proves:**\n\n- Microsoft\u00e2\u20ac\u2122s services\n\n**Cost:** ~$165\n"
    )
    guide = build_signal_guide.build(seed)
    (entry,) = guide["entries"]
    assert entry["name"] == "Microsoft Azure AI Engineer Associate"
    assert entry["proves"] == ["Microsoft's services"]  # ftfy also straightens quotes
    with pytest.raises(ValueError, match="unknown field"):
        build_signal_guide.build(seed.replace("**Cost:**", "**Price:**"))


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_staff_edits():
    first = signal_guide_load()
    assert first.created == len(GUIDE["entries"]) + len(GUIDE["categories"]) + len(
        GUIDE["guidance"]
    )
    GuideEntry.objects.filter(slug="tensorflow-developer-certificate").update(cost="~$120")

    again = signal_guide_load()

    assert again.created == again.updated == 0
    assert GuideEntry.objects.get(slug="tensorflow-developer-certificate").cost == "~$120"
    assert GuideEntry.objects.count() == 14
    assert GuidancePage.objects.count() == 8
    assert SignalCategoryNote.objects.count() == 4
    assert signal_guide_load(overwrite=True).updated == 1
    assert GuideEntry.objects.get(slug="tensorflow-developer-certificate").cost == "~$100"


@pytest.mark.django_db
def test_the_recognition_table_links_to_entries_of_the_guide(program, guide):
    from credence.catalog.api import rules_from_file
    from credence.recognition.selectors import entry_for_signal_guide_name

    recognitions = rules_from_file().recognitions
    linked = {r.code: entry_for_signal_guide_name(r.signal_guide) for r in recognitions}

    assert linked["google-ml-engineer"].category == "high"
    assert linked["microsoft-azure-ai-engineer"].category == "moderate"
    assert linked["fraunhofer-data-science"] is None  # the guide does not rate it
    assert all(
        entry is not None
        for r, entry in zip(recognitions, linked.values(), strict=True)
        if r.signal_guide
    )
