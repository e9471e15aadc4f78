"""Build ``signal_guide.json`` from seed 001 ("AI Certifications: Signal vs. Noise").

Run once when the seed changes, and commit the output; the project never parses the seed at
run time, and this script is not part of the installed package::

    python tools/build_signal_guide.py SEED_001

The seed is Markdown with mojibake (UTF-8 read as cp1252: "ðŸŸ¡", "â€™"); ftfy repairs it.
The category markers (🟡, 🔴) are dropped from names because the category is its own field.

Two things the seed does not give are added here, by hand, and recorded in
docs/decisions/0014-signal-guide-and-partial-credit.md:

* a rating per criterion (the seed names five criteria but scores none): the category's
  default, changed only where the entry's own text says otherwise (``CRITERIA``);
* a machine-readable condition for each "worth pursuing if" / "not worth it if" line the
  advisor can decide from its five questions (``CONDITIONS``); lines it cannot decide keep
  ``when = ""`` and are shown, never guessed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import ftfy

# where the recognition app reads it (recognition.services.SIGNAL_GUIDE_FILE)
OUTPUT = Path(__file__).resolve().parents[1] / "src/credence/recognition/data/signal_guide.json"

CATEGORY_HEADINGS = {
    "High Signal (Rare)": "high",
    "Moderate Signal": "moderate",
    "Low Signal / Resume Padding": "low",
}
LIST_FIELDS = {
    "what it proves": "proves",
    "what they prove": "proves",
    "what it does not prove": "does_not_prove",
    "what they do not prove": "does_not_prove",
    "worth pursuing if": "worth_pursuing_if",
    "worth pursuing": "worth_pursuing_if",
    "not worth it if": "not_worth_it_if",
    "signal to hiring managers": "signal_to_hiring_managers",
    "general assessment": "general_assessment",
    "better alternatives": "better_alternatives",
    "why avoid": "why_avoid",
    "why avoid (most)": "why_avoid",
    "why avoid (generally)": "why_avoid",
}
TEXT_FIELDS = {
    "prerequisites": "prerequisites",
    "study time": "study_time",
    "cost": "cost",
    "reality": "reality",
    "exception": "exception",
}

# name -> (provider, cloud platform it is tied to, or "")
PROVIDERS = {
    "Google Professional Machine Learning Engineer": ("Google Cloud", "gcp"),
    "AWS Certified Machine Learning - Specialty": ("Amazon Web Services", "aws"),
    "TensorFlow Developer Certificate": ("Google (TensorFlow)", ""),
    "Microsoft Azure AI Engineer Associate": ("Microsoft", "azure"),
    "IBM AI Engineering Professional Certificate (Coursera)": ("IBM via Coursera", ""),
    "DeepLearning.AI TensorFlow Developer Professional Certificate": (
        "DeepLearning.AI via Coursera",
        "",
    ),
    "AI+ Individual Certification (AI Certs)": ("AI Certs", ""),
    "AWS Certified AI Practitioner": ("Amazon Web Services", "aws"),
    "Microsoft Azure AI Fundamentals": ("Microsoft", "azure"),
    'Most Coursera/edX "Professional Certificates"': ("Coursera, edX", ""),
    '"Prompt Engineering" Certificates': ("Various", ""),
    '"AI Ethics" Certificates (Most)': ("Various", ""),
    'Bootcamp "Certificates of Completion"': ("Bootcamps", ""),
    'Vendor-Specific "AI Specialist" Certs': ("Vendors", ""),
}

CRITERIA_NAMES = (
    "technical_depth",
    "rigor",
    "independence",
    "industry_recognition",
    "signal_quality",
)
# The category's default per criterion (H/M/L in CRITERIA_NAMES order) and what it rests on.
CATEGORY_DEFAULTS = {
    "high": ("HHMHH", "High signal: 'difficult, require prerequisites, and cannot be crammed'."),
    "moderate": ("MLMMM", "Moderate signal: 'some value but are easily gamed or surface-level'."),
    "low": ("LLLLL", "Low signal: 'minimal competence ... little technical signal'."),
    "avoid": ("LLLLL", "To avoid: the guide lists no redeeming criterion."),
}
# Overrides from the entry's own text: (ratings, why).
CRITERIA = {
    "Google Professional Machine Learning Engineer": (
        "HHLHH",
        "Independence low: tied to GCP ('Ability to work outside GCP ecosystem' not proven).",
    ),
    "AWS Certified Machine Learning - Specialty": (
        "HHLHH",
        "Independence low: tied to AWS ('Framework-agnostic knowledge' not proven).",
    ),
    "TensorFlow Developer Certificate": (
        "MHMHH",
        "Depth moderate: 'Basic deep learning understanding'; independence moderate: one "
        "framework, no cloud ('Framework-agnostic knowledge' not proven).",
    ),
    "Microsoft Azure AI Engineer Associate": (
        "LLLMM",
        "Depth low ('Familiarity', 'Basic ML/AI understanding'); independence low: Azure "
        "services; rigor low as the category says it is easily gamed.",
    ),
    "IBM AI Engineering Professional Certificate (Coursera)": (
        "LLMLL",
        "Proves course completion and exposure; 'You're seeking employment signal' is a "
        "reason against it, so recognition and signal are low.",
    ),
    "DeepLearning.AI TensorFlow Developer Professional Certificate": (
        "LLLML",
        "Proves course completion and 'Basic TensorFlow familiarity'; not vendor-neutral; "
        "recognition moderate for a respected teacher.",
    ),
    "Microsoft Azure AI Fundamentals": (
        "LLLML",
        "Recognition moderate: 'Appropriate for non-technical roles'.",
    ),
    'Bootcamp "Certificates of Completion"': (
        "LLMLL",
        "Independence moderate: bootcamps are not product vendors; the rest is low.",
    ),
}

# Condition codes the advisor understands (recognition/policy.py, PREDICATES), by line.
# A "!" prefix marks a line of a "Worth pursuing:" list that speaks against the entry.
CONDITIONS = {
    "You already have ML fundamentals (Pillars 1-4)": "fundamentals",
    "You work or plan to work with GCP": "cloud:gcp",
    "You need to demonstrate production ML experience": "hands-on",
    "You have built and deployed real models": "hands-on",
    "You're using it to avoid learning fundamentals": "no-fundamentals",
    "You have no practical ML experience": "no-hands-on",
    "You're seeking theoretical depth": "role:research",
    "You work exclusively with other cloud providers": "other-cloud:gcp",
    "You work in AWS environments": "cloud:aws",
    "You already understand ML fundamentals": "fundamentals",
    "You're in a DevOps/MLOps role": "role:mlops",
    "You're avoiding fundamentals": "no-fundamentals",
    "You work exclusively with other clouds": "other-cloud:aws",
    "You have no hands-on ML experience": "no-hands-on",
    "You've completed Pillars 1-5": "fundamentals",
    "You're using it to skip fundamentals": "no-fundamentals",
    "You're focused on research": "role:research",
    "You have strong GitHub portfolio already": "portfolio",
    "You work exclusively in Azure": "cloud:azure",
    "You're in a solutions architect role": "role:architect",
    "You're seeking technical depth": "seeking-depth",
    "You want to demonstrate research ability": "role:research",
    "You work in multi-cloud environments": "cloud:multi",
    "You can demonstrate competence through projects": "portfolio",
    "You're a complete beginner needing structure": "beginner",
    "You're exploring whether AI interests you": "role:learner",
    "You want rigorous technical credentials": "seeking-signal",
    "You're seeking employment signal": "seeking-signal",
    "You're a beginner wanting structure from a respected teacher": "beginner",
    "You need introductory material": "beginner",
    "You already understand DL fundamentals": "fundamentals",
    "You're seeking rigorous credentials": "seeking-signal",
    "If you're in sales/business roles needing AI vocabulary": "role:business",
    "Never for technical credibility": "!technical-role",
    "Only for non-technical roles requiring AI literacy": "role:business",
    "Sales, marketing, business analyst positions": "role:business",
    "Never for engineering positions": "!technical-role",
}

GUIDANCE = {
    # seed heading -> slug; the order here is the order of the guidance pages
    "The Brutal Truth": "the-brutal-truth",
    "Evaluation Criteria": "evaluation-criteria",
    "What Actually Matters to Competent Hiring Managers": "what-hiring-managers-look-for",
    "The Certification Trap": "the-certification-trap",
    "When Certifications Are Appropriate": "when-certifications-are-appropriate",
    "When Certifications Are Inappropriate": "when-certifications-are-inappropriate",
    "The Honest Recommendation": "the-honest-recommendation",
    "Final Warning": "final-warning",
}

BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?):\*\*\s*(?P<rest>.*)$")
BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*]+?)\*\*$")
ITEM = re.compile(r"^(?:-|\d+\.)\s+(?P<text>.+)$")
MARKER = re.compile(r"^[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("+", "-plus")).strip("-")


def _inline(text: str) -> str:
    """Markdown emphasis is dropped; the pages style structure, not inline bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def _blocks(lines: list[str]) -> list[dict[str, Any]]:
    """A guidance section as blocks: paragraphs, lists (ordered or not) and subheadings."""
    blocks: list[dict[str, Any]] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if m := BOLD_LINE.match(line):
            blocks.append({"kind": "subheading", "text": m["text"].rstrip(":")})
        elif (m := BOLD_LABEL.match(line)) and not ITEM.match(line):
            blocks.append({"kind": "subheading", "text": m["label"]})
            if m["rest"]:
                blocks.append({"kind": "paragraph", "text": _inline(m["rest"])})
        elif m := ITEM.match(line):
            ordered = line[0].isdigit()
            if blocks and blocks[-1]["kind"] == "list" and blocks[-1]["ordered"] == ordered:
                blocks[-1]["items"].append(_inline(m["text"]))
            else:
                blocks.append({"kind": "list", "ordered": ordered, "items": [_inline(m["text"])]})
        else:
            blocks.append({"kind": "paragraph", "text": _inline(line)})
    return blocks


def _condition(line: str, field: str) -> dict[str, Any]:
    code = CONDITIONS.get(line, "")
    against = code.startswith("!")
    if against and field != "worth_pursuing_if":
        raise ValueError(f"a '!' condition belongs to a 'Worth pursuing' line: {line}")
    return {"text": line, "when": code.lstrip("!"), "against": against}


def _entry(name: str, category: str, lines: list[str], position: int) -> dict[str, Any]:
    name = MARKER.sub("", name).strip()
    if name not in PROVIDERS:
        raise ValueError(f"no provider recorded for {name!r}; add it to PROVIDERS")
    provider, cloud = PROVIDERS[name]
    ratings, why = CRITERIA.get(name, CATEGORY_DEFAULTS[category])
    entry: dict[str, Any] = {
        "slug": slugify(name),
        "name": name,
        "provider": provider,
        "category": category,
        "cloud_platform": cloud,
        "position": position,
        "criteria": {
            criterion: {"H": "high", "M": "moderate", "L": "low"}[rating]
            for criterion, rating in zip(CRITERIA_NAMES, ratings, strict=True)
        },
        "criteria_rationale": why,
    }
    field: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line or line == "---":
            continue
        if m := BOLD_LABEL.match(line):
            label = m["label"].strip().lower()
            if label in TEXT_FIELDS:
                field = TEXT_FIELDS[label]
                entry[field] = _inline(m["rest"])
            elif label in LIST_FIELDS:
                field = LIST_FIELDS[label]
                entry.setdefault(field, [])
            else:
                raise ValueError(f"{name}: unknown field {m['label']!r}")
        elif m := ITEM.match(line):
            if field is None or field in TEXT_FIELDS.values():
                raise ValueError(f"{name}: list item outside a list field: {line!r}")
            text = _inline(m["text"])
            if field in ("worth_pursuing_if", "not_worth_it_if"):
                entry[field].append(_condition(text, field))
            else:
                entry[field].append(text)
        elif field is not None and field in TEXT_FIELDS.values():
            # "**Reality:**" and "**Exception:**" put their text on the next line.
            entry[field] = (entry.get(field, "") + " " + _inline(line)).strip()
        else:
            raise ValueError(f"{name}: text outside a field: {line!r}")
    return entry


def _title(lines: list[str]) -> str:
    """The guide's title: its first level-one heading."""
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError("the guide has no title")


def build(text: str) -> dict[str, Any]:
    text = ftfy.fix_text(text)
    lines = text.splitlines()
    entries: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    guidance: dict[str, dict[str, Any]] = {}
    section = ""
    category = ""
    current: tuple[str, str, list[str]] | None = None
    body: list[str] = []

    def flush() -> None:
        nonlocal current
        if current is not None:
            name, cat, entry_lines = current
            entries.append(_entry(name, cat, entry_lines, len(entries) + 1))
            current = None

    for line in lines:
        if line.startswith("## "):
            flush()
            section = line[3:].strip()
            body = []
            if section in GUIDANCE:
                guidance[section] = {
                    "slug": GUIDANCE[section],
                    "title": section,
                    "lines": body,
                }
            continue
        if line.startswith("### ") and section == "Categories":
            flush()
            heading = line[4:].strip()
            category = CATEGORY_HEADINGS[heading]
            categories.append({"code": category, "title": heading, "lines": []})
            continue
        if line.startswith("#### ") and section == "Categories":
            flush()
            current = (line[5:].strip(), category, [])
            continue
        if line.startswith("### ") and section == "Certifications to Actively Avoid":
            flush()
            current = (line[4:].strip(), "avoid", [])
            continue
        if current is not None:
            current[2].append(line)
        elif section == "Categories" and categories:
            categories[-1]["lines"].append(line)
        elif section == "Certifications to Actively Avoid":
            if line.strip():
                raise ValueError(f"text before the first kind to avoid: {line!r}")
        else:
            body.append(line)
    flush()
    title = _title(lines)
    categories.append(
        {
            "code": "avoid",
            "title": "Certifications to Actively Avoid",
            "lines": [],
        }
    )
    return {
        "source": "seed 001 (AI Certifications: Signal vs. Noise), repaired with ftfy",
        "title": title,
        "criteria": list(CRITERIA_NAMES),
        "categories": [
            {
                "code": c["code"],
                "title": c["title"],
                "description": " ".join(x.strip() for x in c["lines"] if x.strip()),
            }
            for c in categories
        ],
        "entries": entries,
        "guidance": [
            {
                "slug": g["slug"],
                "title": g["title"],
                "position": position,
                "blocks": _blocks(g["lines"]),
            }
            for position, g in enumerate(
                sorted(guidance.values(), key=lambda g: list(GUIDANCE.values()).index(g["slug"])),
                start=1,
            )
        ],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: python tools/build_signal_guide.py SEED_001",
            file=sys.stderr,
        )
        return 2
    guide = build(Path(argv[1]).read_text(encoding="utf-8"))
    missing = set(GUIDANCE.values()) - {g["slug"] for g in guide["guidance"]}
    if missing:
        print(f"sections not found: {sorted(missing)}", file=sys.stderr)
        return 1
    OUTPUT.write_text(json.dumps(guide, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(guide['entries'])} entries, {len(guide['guidance'])} guidance pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
