"""A second version of the default program whose ML Expert rubric, blueprint and topics and
whose bot patterns differ, for the tests that the program loaded in the catalog, not the
default file, is the program in force (issue 17)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from credence.catalog.programfile import check_program_text
from credence.catalog.services import LoadResult, program_load

_GERMAN_CRITERIA = (
    'problem-framing = "Problemstellung", technical-depth = "Technische Tiefe", '
    'engineering-quality = "Qualität der Umsetzung", evaluation-rigour = "Gründlichkeit der '
    'Bewertung", communication = "Kommunikation", relevance = "Bezug zur Zertifizierung" }'
)

# what the other version changes, each replacement made exactly once
_CHANGES = (
    (
        'code = "generative-evaluation"\nname = "Evaluating generated output"\n'
        'translations.de.name = "Bewertung generierter Ausgaben"\n',
        'code = "generative-evaluation"\nname = "Evaluating generated output"\n'
        'translations.de.name = "Bewertung generierter Ausgaben"\n\n'
        '[[topics]]\ncode = "feature-engineering"\nname = "Feature engineering"\n',
    ),
    (
        'topics = ["supervised-learning", "model-evaluation", "model-deployment"]',
        'topics = ["supervised-learning", "model-evaluation", "feature-engineering"]',
    ),
    (
        "time_limit_minutes = 90  # R11, enforced by the server\n"
        "items_per_topic = { supervised-learning = 20, model-evaluation = 20, "
        "model-deployment = 20 }",
        # in neither the topics' order nor the one PostgreSQL's jsonb would give the keys
        # (shorter first): the draw follows the blueprint's
        "time_limit_minutes = 30\n"
        "items_per_topic = { feature-engineering = 2, model-evaluation = 1 }",
    ),
    (
        "scale = 4  # points per criterion, 0 to 4\ncriteria = [\n"
        '    { code = "problem-framing", name = "Problem framing", weight = 15 },\n'
        '    { code = "technical-depth", name = "Technical depth", weight = 25 },\n'
        '    { code = "engineering-quality", name = "Engineering quality", weight = 15 },\n'
        '    { code = "evaluation-rigour", name = "Evaluation rigour", weight = 25 },\n'
        '    { code = "communication", name = "Communication", weight = 10 },\n'
        '    { code = "relevance", name = "Relevance to the certification", weight = 10 },\n'
        "]\n\n[certifications.translations.de]\n"
        'name = "Trainieren',
        "scale = 5\ncriteria = [\n"
        '    { code = "design", name = "Design", weight = 1 },\n'
        '    { code = "delivery", name = "Delivery", weight = 3 },\n'
        "]\n\n[certifications.translations.de]\n"
        'name = "Trainieren',
    ),
    (
        # German names for the other rubric's criteria
        '    "Die Fähigkeit, Probleme zu lösen, die dem gewählten Projekt nicht ähneln",\n]\n'
        "criteria = { " + _GERMAN_CRITERIA,
        '    "Die Fähigkeit, Probleme zu lösen, die dem gewählten Projekt nicht ähneln",\n]\n'
        'criteria = { design = "Entwurf", delivery = "Lieferung" }',
    ),
    ("[portfolio]\nbots = []\n", '[portfolio]\nbots = ["nightly runner", "*@ci.example.org"]\n'),
)

OTHER_RUBRIC = {
    "scale": 5,
    "criteria": [
        {"code": "design", "name": "Design", "weight": 1},
        {"code": "delivery", "name": "Delivery", "weight": 3},
    ],
}
OTHER_TOPICS = ["supervised-learning", "model-evaluation", "feature-engineering"]
OTHER_BLUEPRINT = {"feature-engineering": 2, "model-evaluation": 1}
OTHER_BOTS = ("nightly runner", "*@ci.example.org")


def default_text() -> str:
    return Path(settings.CREDENCE_DEFAULT_PROGRAM).read_text(encoding="utf-8")


def other_program_text() -> str:
    text = default_text()
    for old, new in _CHANGES:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def automatic_release_text() -> str:
    """The default program, its first certification's results released as soon as a test is
    submitted (``release = "automatic"``)."""
    line = "time_limit_minutes = 90  # R11, enforced by the server"
    return default_text().replace(line, f'{line}\nrelease = "automatic"', 1)


def load_text(text: str) -> LoadResult:
    return program_load(
        program_file=check_program_text(text, source="other.toml"), source_text=text
    )
