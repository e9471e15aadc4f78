"""One style for words and numbers (decision 0036): every page the URL walk reaches, read as
each asker who may see it, in English and in German, shows no doubled or stray punctuation
and no certification code where its name belongs; dates and money follow the reader's
locale.

The world and the askers are the URL walk's (test_url_walk.py); a page is read where
url_rules.py says the asker gets it (200).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from credence.core.tests.test_url_walk import (  # noqa: F401 (fixtures)
    _GROUP,
    SITE,
    World,
    client_for,
    session_keys,
    url_of,
    world,
)
from credence.core.tests.url_rules import OK, ROLES, RULES

pytestmark = pytest.mark.long

# Text inside these elements is not prose: scripts, styles, code and what a person types.
_NOT_PROSE = {"script", "style", "code", "pre", "textarea", "kbd", "samp", "template"}
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "area", "col", "embed"}


class _VisibleText(HTMLParser):
    """The text a reader sees, tags stripped; inline elements joined without a gap, so that
    "<time>8:26 a.m.</time>." reads as the reader reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag == "code" and not self.hidden:
            # a commit or a digest stands where a word would: "at commit <code>…</code>."
            self.parts.append("\u2026")
        if tag in _NOT_PROSE or self.hidden or "hidden" in dict(attrs):
            self.hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


# URLs, paths, e-mail addresses and file names are not sentences: their dots are theirs.
_NOT_WORDS = re.compile(r"\S*(?:://|/|@)\S*|\S+\.(?:ics|pdf|json|csv|txt|py|zip|gift)\b")
_DOUBLED = [
    (re.compile(r"(?<!\.)\.\.(?!\.)"), "a doubled full stop"),
    (re.compile(r"\s\.(?=\s|$)"), "a full stop after a space"),
    (re.compile(r"[!?]\."), "a full stop after ! or ?"),
    (re.compile(r",\s*\."), "a full stop after a comma"),
]


_ISO_DAY = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")
# The verification page quotes each piece of evidence as the signed credential carries it
# (English, ISO dates): changing the words would misquote what was signed.
_SIGNED_EVIDENCE = re.compile(
    r"(?:Passed on|Waived on|valid) \d{4}-\d{2}-\d{2}(?: to \d{4}-\d{2}-\d{2})?"
)


def iso_dates(text: str) -> list[str]:
    """Days written as ISO dates (2026-12-05) where a reader expects their language's date."""
    prose = _SIGNED_EVIDENCE.sub("SIGNED", _NOT_WORDS.sub("URL", text))
    return [
        "an ISO date: …" + " ".join(prose[max(0, m.start() - 40) : m.end() + 20].split()) + "…"
        for m in _ISO_DAY.finditer(prose)
    ]


def punctuation_faults(text: str) -> list[str]:
    """Each fault with its surroundings; an ellipsis ("..." or "…") is not a fault."""
    prose = _NOT_WORDS.sub("URL", text)
    faults = []
    for pattern, what in _DOUBLED:
        for match in pattern.finditer(prose):
            around = " ".join(prose[max(0, match.start() - 40) : match.end() + 20].split())
            faults.append(f"{what}: …{around}…")
    return faults


def test_the_check_finds_each_fault_and_lets_an_ellipsis_and_a_url_pass() -> None:
    assert punctuation_faults("Submitted at 8:26 a.m..")
    assert punctuation_faults("Booked .")
    assert punctuation_faults("Done!.")
    assert punctuation_faults("Saved?. Yes")
    assert not punctuation_faults("Loading... Please wait… Dec. 5, 2026, 8:26 a.m.")
    assert not punctuation_faults("See https://example.test/a..b and ../up and a.pdf.")
    assert visible_text("at <time>8:26 a.m.</time>.<script>x..y</script>") == "at 8:26 a.m.."


# Files (PDFs, SVGs, JSON, CSV, calendars) are not pages to read: the URL walk fetches them.
_FILE = re.compile(r"\.[a-z]+$")


def _pages() -> list[tuple[str, str]]:
    return [
        (pattern.key, role)
        for pattern in SITE
        if pattern.key in RULES and not _FILE.search(pattern.route)
        for role in ROLES
        if RULES[pattern.key].get[role] == OK
    ]


PAGES = _pages()


def _read(walk: World, keys: dict[str, str], key: str, role: str, language: str) -> str | None:
    pattern = next(p for p in SITE if p.key == key)
    url = url_of(pattern, dict(RULES[key].kwargs(walk)))
    response = client_for(role, keys).get(url, headers={"accept-language": language})
    assert response.status_code == OK, f"GET {url} as {role}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return visible_text(response.content.decode())


# Pages where a code is the reader's word: the item bank's (authors write certification and
# topic codes into their GIFT files), the challenged items' (they quote the items as written)
# and the audit log (events as they were recorded).
CODES_ARE_WORDS = ("items:", "challenges:", "audit:")


def codes_of_the_program() -> list[str]:
    """The certifications' codes, and the topics' codes that read as codes (with a hyphen and
    not the name's own words: "vision-language" is both)."""
    from credence.catalog.models import Certification, Topic

    codes = list(Certification.objects.values_list("code", flat=True))
    return codes + [
        code
        for code, name in Topic.objects.values_list("code", "name")
        if "-" in code and code not in name.lower()
    ]


def codes_shown(text: str, codes: list[str]) -> list[str]:
    """Certification codes standing as words in the text (not inside a longer word or path)."""
    prose = _NOT_WORDS.sub("URL", text)
    found = []
    for code in codes:
        for match in re.finditer(rf"(?<![\w/.-]){re.escape(code)}(?![\w-])", prose):
            around = " ".join(prose[max(0, match.start() - 40) : match.end() + 20].split())
            found.append(f"the code {code!r}: …{around}…")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_no_page_doubles_its_punctuation(
    language: str,
    world: World,  # noqa: F811 (fixture)
    session_keys: dict[str, str],  # noqa: F811 (fixture)
) -> None:
    codes = codes_of_the_program()
    faults = []
    for key, role in PAGES:
        text = _read(world, session_keys, key, role, language)
        if text is not None:
            faults += [f"{key} as {role}: {fault}" for fault in punctuation_faults(text)]
            if not key.startswith(CODES_ARE_WORDS):
                faults += [f"{key} as {role}: {fault}" for fault in codes_shown(text, codes)]
                faults += [f"{key} as {role}: {fault}" for fault in iso_dates(text)]
    assert not faults, "\n".join(dict.fromkeys(faults))


_MONTHS_EN = r"(?:Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)"
_MONTHS_DE = (
    r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
)
FORMATS = {
    "en": {
        "date": rf"{_MONTHS_EN} \d{{1,2}}, \d{{4}}",
        "moment": rf"{_MONTHS_EN} \d{{1,2}}, \d{{4}}, \d{{1,2}}:\d{{2}}",
        "money": r"\d{1,3}(?:,\d{3})*\.\d{2} EUR",
    },
    "de": {
        "date": rf"\d{{1,2}}\. {_MONTHS_DE} \d{{4}}",
        "moment": rf"\d{{1,2}}\. {_MONTHS_DE} \d{{4}} \d{{2}}:\d{{2}}",
        "money": r"\d{1,3}(?:\.\d{3})*,\d{2} EUR",
    },
}
# What neither language shows: month-first numeric dates, a 12-hour clock, an amount with the
# other language's decimal separator.
NEVER = {
    "en": [r"\d{1,2}/\d{1,2}/\d{4}", r"\b[ap]\.m\.", r"\d,\d{2} EUR"],
    "de": [r"\d{1,2}/\d{1,2}/\d{4}", r"\b[ap]\.m\.", r"\d\.\d{2} EUR", rf"{_MONTHS_EN} \d"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(
    ("key", "role", "shows"),
    [
        ("home", "anonymous", ("date", "money")),  # the fee and the cohorts' windows
        ("billing:my-fees", "owner", ("date", "money")),  # invoices: issued on, amounts
        ("exams:sessions", "owner", ("moment",)),  # the booked session's start
    ],
)
def test_dates_and_money_follow_the_readers_language(
    language: str,
    key: str,
    role: str,
    shows: tuple[str, ...],
    world: World,  # noqa: F811 (fixture)
    session_keys: dict[str, str],  # noqa: F811 (fixture)
) -> None:
    text = _read(world, session_keys, key, role, language)
    assert text is not None
    for kind in shows:
        assert re.search(FORMATS[language][kind], text), f"{key} in {language}: no {kind}"
    for pattern in NEVER[language]:
        found = re.search(pattern, text)
        assert not found, f"{key} in {language} shows {found.group(0)!r}"


# --- the demo, as its people click through it -------------------------------------------------

DEMO_DAY = date(2026, 3, 10)
# Not pages to read: the admin, files, the language switch, signing out.
_SKIP = re.compile(
    r"^/(?:admin|static|media|i18n|api|accounts)/|\.(?:pdf|zip|csv|ics|svg|png|jsonl?)$"
)
_HREF = re.compile(r'href="(/[^"#?]*)')


@pytest.fixture
def demo(db: Any) -> Iterator[list[Any]]:
    from credence.demo.data import demo_populate

    with time_machine.travel("2026-03-10 10:00:00+01:00", tick=False):
        call_command("program", "load", verbosity=0)
        yield demo_populate(DEMO_DAY)


def test_the_demo_reads_well_for_each_person_in_both_languages(demo: list[Any]) -> None:
    """Each demo person opens every page that needs no argument and follows the links found
    there (up to 40 pages that no one before them read): the same checks as above, on the
    demo's richer histories (refunds, waivers, certificates, the composite award)."""
    from credence.accounts.models import User

    codes = codes_of_the_program()
    starts = [url_of(p, {}) for p in SITE if p.key in RULES and not _GROUP.search(p.route)]
    starts = [url for url in starts if not _SKIP.search(url)]
    faults, read = [], set(starts)
    for login in demo:
        client = Client()
        client.force_login(User.objects.get(email=login.email))
        queue, seen, followed = list(starts), set(), 0
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if url not in starts:  # a linked page: read once, by the first who finds it
                if url in read or followed == 40:
                    continue
                read.add(url)
                followed += 1
            for language in ("en", "de"):
                response = client.get(url, headers={"accept-language": language})
                if response.status_code != OK or "html" not in response.get("Content-Type", ""):
                    break
                html = response.content.decode()
                text = visible_text(html)
                where = f"{url} as {login.email} in {language}"
                faults += [f"{where}: {fault}" for fault in punctuation_faults(text)]
                if not url.startswith(("/items/", "/challenges/", "/audit/")):
                    faults += [f"{where}: {fault}" for fault in codes_shown(text, codes)]
                    faults += [f"{where}: {fault}" for fault in iso_dates(text)]
            else:
                queue += [u for u in _HREF.findall(html) if not _SKIP.search(u)]
    assert not faults, "\n".join(dict.fromkeys(faults))
