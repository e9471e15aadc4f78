"""Bad input through the real entry points (issue 9, item 6; docs/security.md): oversized bodies,
wrong encodings, malformed dates, huge numbers, HTML in text fields and uploads whose label lies.
Each gets a clear error, and nothing is stored half: no rows, no files."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.billing.models import Payment, TopUp
from credence.catalog.models import Certification
from credence.core import jsonin
from credence.exams.models import ExamSession, Sitting
from credence.exams.sessions.services import session_book, session_create, session_publish
from credence.items import api as items_api
from credence.items.content import ItemFileError
from credence.items.gift import parse_gift
from credence.items.models import Item
from credence.items.services import items_import
from credence.portfolios.models import Submission
from credence.recognition.models import Claim, ClaimEvidence
from credence.recognition.services import signal_guide_load

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 40
OPEN_BADGE = json.dumps(
    {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "x", "name": "Exämple"},
    },
    ensure_ascii=False,
)


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.CREDENCE_CLAIM_EVIDENCE_DIR = tmp_path / "evidence"
    cache.clear()  # allauth's rate limits
    return Path(settings.CREDENCE_CLAIM_EVIDENCE_DIR)


@pytest.fixture
def program():
    call_command("program", "load", verbosity=0)
    signal_guide_load()


def person(email: str, role: Role, full_name: str = "") -> User:
    user = User.objects.create_user(email, "x" * 12, full_name=full_name or email)
    user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture
def candidate(program):
    return person("cand@example.invalid", Role.CANDIDATE, "Cand Idate")


@pytest.fixture
def staff(program):
    return person("office@example.invalid", Role.STAFF, "Olivia Office")


def no_claim_stored(evidence_dir: Path) -> bool:
    files = list(evidence_dir.iterdir()) if evidence_dir.exists() else []
    return not Claim.objects.exists() and not ClaimEvidence.objects.exists() and not files


def claim_form(**overrides):
    return {
        "external": "",
        "other_name": "Some Certificate",
        "other_provider": "Some Provider",
        "credential_id": "ABC-123",
        "issued_on": "2025-06-01",
        "expires_on": "",
        "note": "",
        "evidence": SimpleUploadedFile("certificate.pdf", PDF, "application/pdf"),
    } | overrides


def advisor(client, body: bytes, content_type="application/json"):
    """The signal guide's advisor in the HTTP API: a public endpoint that reads a JSON body."""
    return client.post(reverse("api-v1:advice"), data=body, content_type=content_type)


def problem_details(response, status: int) -> dict:
    """The API's error answer (RFC 9457, docs/api.md) with this status."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["instance"] == reverse("api-v1:advice")
    return body


def assert_escaped(html: str) -> None:
    assert ESCAPED in html
    assert SCRIPT not in html


# --- oversized bodies ---------------------------------------------------------------------


def test_a_body_over_the_request_limit_is_refused_413_and_nothing_is_stored(
    client, candidate, settings, evidence_dir
):
    settings.CREDENCE_MAX_REQUEST_BYTES = 10_000
    client.force_login(candidate)
    big = SimpleUploadedFile("certificate.pdf", PDF + b"0" * 20_000, "application/pdf")

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=big))

    assert response.status_code == 413
    assert "larger than 9.8\xa0KB" in response.content.decode()
    assert no_claim_stored(evidence_dir)


def test_a_raw_json_body_over_the_request_limit_is_refused_413_as_problem_details(client, settings):
    settings.CREDENCE_MAX_REQUEST_BYTES = 10_000

    response = advisor(client, b'{"x": "' + b"a" * 20_000 + b'"}')

    assert problem_details(response, 413)["type"] == "urn:credence:problem:too-large"


def test_a_json_body_over_the_form_limit_is_refused_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = advisor(client, b'{"x": "' + b"a" * 5_000 + b'"}')

    assert problem_details(response, 413)["type"] == "urn:credence:problem:too-large"


def test_form_fields_over_the_form_limit_are_a_clear_400_and_nothing_is_stored(
    client, candidate, settings, evidence_dir
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(candidate)
    data = claim_form(note="n" * 5_000)
    del data["evidence"]

    response = client.post(reverse("recognition:claim-new"), data)

    assert response.status_code == 400
    assert "too large or malformed" in response.content.decode()
    assert no_claim_stored(evidence_dir)


def test_evidence_over_its_own_limit_is_a_form_error_and_nothing_is_stored(
    client, candidate, settings, evidence_dir
):
    settings.CREDENCE_CLAIM_EVIDENCE_MAX_BYTES = 100
    client.force_login(candidate)
    big = SimpleUploadedFile("certificate.pdf", PDF + b"0" * 500, "application/pdf")

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=big))

    assert response.status_code == 200
    assert "The file is larger than 100\xa0bytes." in response.content.decode()
    assert no_claim_stored(evidence_dir)


# --- wrong encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('{"role": "é"}'.encode("utf-16"), "not UTF-8"),
        ('{"role": "é"}'.encode("utf-32"), "not UTF-8"),
        ('{"role": "é"}'.encode("latin-1"), "not UTF-8"),
        (b'{"role": "\xff\xfe"}', "not UTF-8"),
        (b'{"role": ', "not valid JSON (line 1, column 10"),
    ],
)
def test_json_that_is_not_utf8_or_not_json_is_refused_with_a_reason(client, body, why):
    with pytest.raises(jsonin.BadJSON, match=re.escape(why)):
        jsonin.parse(body)

    assert why in problem_details(advisor(client, body), 400)["detail"]


def test_a_form_in_latin1_is_refused_and_nothing_is_stored(client, candidate, evidence_dir):
    client.force_login(candidate)

    response = client.post(
        reverse("recognition:claim-new"),
        b"other_name=Zertifikat%20f%FCr%20KI&credential_id=1&issued_on=2025-06-01",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert no_claim_stored(evidence_dir)


def test_a_query_string_in_latin1_is_refused_but_utf8_is_read(client, program):
    assert client.get(reverse("recognition:guide") + "?provider=f%FCr").status_code == 400
    assert client.get(reverse("recognition:guide") + "?provider=f%C3%BCr").status_code == 200


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_an_open_badge_not_in_utf8_is_refused_and_nothing_is_stored(
    client, candidate, evidence_dir, encoding
):
    client.force_login(candidate)
    badge = SimpleUploadedFile("badge.json", OPEN_BADGE.encode(encoding), "application/json")

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=badge))

    assert response.status_code == 200
    assert "Upload a PDF, a PNG or JPEG image" in response.content.decode()
    assert no_claim_stored(evidence_dir)


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_program_file_not_in_utf8_is_refused_with_the_reason(tmp_path, capsys, encoding):
    text = Path(django_settings.CREDENCE_DEFAULT_PROGRAM).read_text(encoding="utf-8")
    path = tmp_path / "program.toml"
    path.write_bytes(text.replace("Expert", "Expért").encode(encoding))

    with pytest.raises(CommandError, match="1 problem"):
        call_command("program", "load", str(path))

    assert "cannot be read: 'utf-8' codec can't decode" in capsys.readouterr().err
    assert not Certification.objects.exists()


@pytest.mark.parametrize(
    ("file_format", "data", "why"),
    [
        ("gift", "::q1:: Was ist größer? {=ja ~nein}".encode("latin-1"), "not UTF-8"),
        (
            "moodle-xml",
            '<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse">'
            "<questiontext><text>größer?</text></questiontext></question></quiz>".encode("latin-1"),
            "Not well-formed XML",
        ),
    ],
)
def test_an_item_file_in_the_wrong_encoding_imports_nothing(
    tmp_path, capsys, program, file_format, data, why
):
    path = tmp_path / "items.txt"
    path.write_bytes(data)

    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "items", "import", str(path), "--format", file_format, "--certification", "ml-expert"
        )

    assert why in capsys.readouterr().err
    assert not Item.objects.exists()


# --- malformed dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"issued_on": "2026-02-30"},
        {"issued_on": "31.02.2025"},
        {"issued_on": "99999-01-01"},
        {"issued_on": "2025-06-01T25:00"},
        {"issued_on": ""},
        {"expires_on": "tomorrow"},
        {"expires_on": "0000-00-00"},
    ],
)
def test_a_claim_with_a_malformed_date_is_a_form_error(client, candidate, evidence_dir, fields):
    client.force_login(candidate)

    response = client.post(reverse("recognition:claim-new"), claim_form(**fields))

    assert response.status_code == 200
    (field,) = fields
    assert field in response.context["form"].errors
    assert no_claim_stored(evidence_dir)


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_at": "2026-02-30T10:00"},
        {"starts_at": "2026-03-29T02:30"},  # skipped by the change to summer time in Berlin
        {"booking_deadline": "yesterday"},
    ],
)
def test_a_session_with_a_malformed_time_is_a_form_error(client, staff, fields):
    client.force_login(staff)
    data = {
        "certifications": ["ml-expert"],
        "venue": "HPI",
        "starts_at": "2026-12-01T10:00",
        "duration_minutes": "90",
        "capacity": "20",
        "booking_deadline": "2026-11-30T10:00",
    } | fields

    response = client.post(reverse("exams:manage"), data)

    assert response.status_code == 200
    (field,) = fields
    assert field in response.context["form"].errors
    assert not ExamSession.objects.exists()


# --- huge numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount", ["1" + "0" * 400, "1" * 5000, "-5.00", "0", "NaN", "Infinity", "1e400", "0.001"]
)
def test_a_money_amount_out_of_range_is_a_form_error_and_no_money_moves(client, staff, amount):
    client.force_login(staff)
    form = client.get(reverse("billing:top-up-new")).context["form"]

    response = client.post(
        reverse("billing:top-up-new"),
        {
            "amount": amount,
            "received_on": "2026-01-05",
            "note": "",
            "idempotency_key": form.initial["idempotency_key"],
        },
    )

    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not TopUp.objects.exists() and not Payment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", "1" + "0" * 30),
        ("duration_minutes", "9" * 5000),
        ("capacity", str(2**63)),
        ("capacity", "-1"),
    ],
)
def test_a_session_with_a_huge_number_is_a_form_error(client, staff, field, value):
    client.force_login(staff)
    data = {
        "certifications": ["ml-expert"],
        "venue": "HPI",
        "starts_at": "2026-12-01T10:00",
        "duration_minutes": "90",
        "capacity": "20",
        "booking_deadline": "2026-11-30T10:00",
        field: value,
    }

    response = client.post(reverse("exams:manage"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ExamSession.objects.exists()


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"portfolio": ' + b"1" * 5000 + b"}", "too many digits"),
        (b'{"portfolio": NaN}', "NaN is not a JSON number"),
        (b'{"portfolio": -Infinity}', "-Infinity is not a JSON number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_json_with_huge_or_non_finite_numbers_is_refused(client, body, why):
    with pytest.raises(jsonin.BadJSON, match=why):
        jsonin.parse(body)

    assert why in problem_details(advisor(client, body), 400)["detail"]


@pytest.mark.parametrize("value", ["1e9999999999", "-1e-9999999999", "NaN", "Infinity", "1" * 41])
def test_a_numeric_answer_out_of_range_is_not_an_answer(value):
    content = parse_gift("::n:: How many? {#42:1}")[0].content

    assert items_api.check_answer(content, {"value": value}) is not None


def test_an_item_file_with_an_overflowing_number_is_refused():
    with pytest.raises(ItemFileError) as refused:
        parse_gift("::n:: How many? {#1e9999999999:1}")

    assert "is not a number" in refused.value.problems[0].message


# --- HTML and script in text fields -------------------------------------------------------


def test_script_in_names_notes_and_messages_is_shown_escaped(client, program, evidence_dir):
    client.post(
        reverse("account_signup"),
        {
            "full_name": SCRIPT,
            "email": "mallory@example.invalid",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    mallory = User.objects.get(email="mallory@example.invalid")
    assert mallory.full_name == SCRIPT  # stored as typed; escaping is the page's job
    client.post(
        reverse("recognition:claim-new"),
        claim_form(other_name=SCRIPT, other_provider=SCRIPT, credential_id=SCRIPT, note=SCRIPT),
    )
    claim = Claim.objects.get()
    assert_escaped(client.get(reverse("recognition:claim", args=[claim.pk])).content.decode())

    office = person("office@example.invalid", Role.STAFF, "Olivia Office")
    client.force_login(office)
    assert_escaped(client.get(reverse("recognition:queue")).content.decode())
    decide = reverse("recognition:decide", args=[claim.pk])
    assert_escaped(client.get(decide).content.decode())
    client.post(decide, {"action": "info", "message": SCRIPT})

    client.force_login(mallory)
    html = client.get(reverse("recognition:claim", args=[claim.pk])).content.decode()
    assert_escaped(html)
    assert html.count(ESCAPED) >= 3  # the name, the note and the office's message


@pytest.fixture
def running_test(program):
    """A live ML Expert test whose venue and item stems hold a script tag, with its
    candidate checked in: (sitting, candidate, proctor, office)."""
    office = person("office@example.invalid", Role.STAFF)
    proctor = person("proctor@example.invalid", Role.PROCTOR)
    blocks = [
        f"// [tag:{topic}]\n::{topic}-{n}:: {SCRIPT} {n}? {{=right ~wrong ~other}}\n"
        for topic in ("supervised-learning", "model-evaluation", "model-deployment")
        for n in range(21)
    ]
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift("\n".join(blocks)),
        acting_user=None,
    )
    start = timezone.now() + timedelta(minutes=5)
    session = session_create(
        certifications=["ml-expert"],
        venue=SCRIPT,
        starts_at=start,
        duration_minutes=60,
        capacity=5,
        booking_deadline=start - timedelta(minutes=1),
        proctors=[proctor],
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=timezone.now())
    candidate = person("cand@example.invalid", Role.CANDIDATE)
    booking = session_book(
        session=session, candidate=candidate, certification="ml-expert", acting_user=candidate
    )
    client = Client()
    client.force_login(proctor)
    client.post(reverse("exams:session-action", args=[session.pk, "open"]))
    client.post(reverse("exams:check-in", args=[booking.pk]))
    return Sitting.objects.get(), candidate, proctor, office


def test_script_in_a_session_venue_and_item_stems_is_shown_escaped(client, running_test):
    sitting, candidate, proctor, office = running_test
    session = sitting.booking.session

    client.force_login(office)
    client.post(
        reverse("exams:manage"),
        {
            "certifications": ["ml-expert"],
            "venue": SCRIPT,
            "starts_at": "2030-12-01T10:00",
            "duration_minutes": "90",
            "capacity": "20",
            "booking_deadline": "2030-11-30T10:00",
            "proctors": [proctor.pk],
        },
    )
    assert ExamSession.objects.filter(venue=SCRIPT).count() == 2
    assert_escaped(client.get(reverse("exams:manage")).content.decode())
    client.force_login(candidate)
    assert_escaped(client.get(reverse("exams:sessions")).content.decode())
    assert_escaped(client.get(reverse("exams:test", args=[sitting.pk])).content.decode())
    client.force_login(proctor)
    assert_escaped(client.get(reverse("exams:console", args=[session.pk])).content.decode())


@pytest.mark.parametrize(
    "choice", ["9" * 5000, "\u00b2", "-1", "1e3", "NaN", "", "<script>", "99999999"]
)
def test_an_autosave_with_a_malformed_choice_saves_no_answer(client, running_test, choice):
    sitting, candidate, _proctor, _office = running_test
    client.force_login(candidate)

    response = client.post(
        reverse("exams:test-answer", args=[sitting.pk]),
        {"position": "0", "choice": choice},
        HTTP_HX_REQUEST="true",
    )

    # no answer is no error: the item stays unanswered, as if the choice had been cleared
    assert response.status_code == 200
    assert not sitting.responses.exclude(answer=None).exists()


@pytest.mark.parametrize("position", ["9" * 5000, "-7", "1e3", "", "NaN"])
def test_an_autosave_with_a_malformed_position_never_fails(client, running_test, position):
    sitting, candidate, _proctor, _office = running_test
    client.force_login(candidate)

    response = client.post(
        reverse("exams:test-answer", args=[sitting.pk]),
        {"position": position, "choice": "0"},
        HTTP_HX_REQUEST="true",
    )

    # an unreadable position is no item of the form: refused with a sentence, never a failure
    # (exams/tests/test_delivery_views.py: the sentence in a running test)
    assert response.status_code == 200
    assert 'class="save-problem"' in response.content.decode()
    assert not sitting.responses.exists()


TEMPLATES = Path(django_settings.PACKAGE_DIR)


def test_no_template_turns_escaping_off_for_html():
    """Escaping is the default; every exception is listed here with its reason."""
    allowed = {
        # help texts are the project's and Django's own (the password rules are a <ul>)
        ("templates/allauth/elements/fields.html", "field.help_text|safe"),
    }
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"[\w.]+\|safe\b|autoescape off|\|safeseq", text):
            found.add((str(path.relative_to(TEMPLATES)), match.group(0)))
    assert found == allowed


def test_no_python_code_marks_strings_safe_by_hand():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.py")
        if "/tests/" not in str(path) and "mark_safe(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# --- uploads whose label lies -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type", "why"),
    [
        ("certificate.pdf", PNG, "application/pdf", "is a PNG file, but its name or type"),
        ("certificate.png", PDF, "application/pdf", "is a PDF file, but its name or type"),
        ("certificate.pdf", PDF, "image/png", "is a PDF file, but its name or type"),
        ("grades.csv", ZIP, "text/csv", "Upload a PDF, a PNG or JPEG image"),
        ("certificate.pdf", b"<html><script>1</script>", "application/pdf", "Upload a PDF"),
        ("badge.json", OPEN_BADGE.encode(), "text/html", "is a Open Badges (JSON) file, but"),
    ],
)
def test_an_upload_whose_name_or_type_lies_is_refused_and_nothing_is_stored(
    client, candidate, evidence_dir, name, data, content_type, why
):
    client.force_login(candidate)
    upload = SimpleUploadedFile(name, data, content_type)

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=upload))

    assert response.status_code == 200
    assert why in response.content.decode()
    assert no_claim_stored(evidence_dir)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("certificate.pdf", PDF, "application/pdf"),
        ("scan.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("certificate", PDF, "application/octet-stream"),  # no name or type to contradict
    ],
)
def test_an_honestly_labelled_upload_is_taken(
    client, candidate, evidence_dir, name, data, content_type
):
    client.force_login(candidate)
    upload = SimpleUploadedFile(name, data, content_type)

    response = client.post(reverse("recognition:claim-new"), claim_form(evidence=upload))

    assert response.status_code == 302
    assert ClaimEvidence.objects.count() == 1


# --- portfolio repository addresses -------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ssh://git@github.com/ada/project.git",
        "http://github.com/ada/project",
        "https://evil.example/ada/project",
        "https://user:secret@github.com/ada/project",
        "https://github.com/../../etc/passwd",
        f"https://github.com/{SCRIPT}/project",
        "https://github.com/ada/project\x00",
        "https://github.com/" + "a" * 600,
        "https://gith\u00fcb.com/ada/project",
    ],
)
def test_a_bad_repository_address_is_refused_and_nothing_is_submitted(client, candidate, url):
    client.force_login(candidate)

    response = client.post(
        reverse("portfolios:mine"), {"certification": "ml-expert", "url": url, "ref": ""}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert SCRIPT not in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "serial", [SCRIPT, "\x00", "x" * 5000, "CRD-0000-0000", "../../etc/passwd", "é", "%ff"]
)
@pytest.mark.parametrize("suffix", ["", "verification.json"])
def test_a_malformed_certificate_serial_is_not_found(client, program, suffix, serial):
    response = client.get(f"/certificates/{quote(serial, safe='')}/{suffix}")

    assert response.status_code == 404
    assert SCRIPT not in response.content.decode()


@pytest.mark.parametrize("path", ["/certificates/A%00B/", "/api/v1/invoices/A%00B"])
def test_a_path_with_a_nul_character_names_nothing(client, path):
    # PostgreSQL refuses NUL in text: looked up, such a key was a server error there
    response = client.get(path)

    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
