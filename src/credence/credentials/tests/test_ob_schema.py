"""Every credential Credence issues is valid against 1EdTech's published JSON Schema for the
Open Badges 3.0 AchievementCredential (bundled in ``credentials/schemas``, with its source and
licence; issue 18, item 6), with no deviation: a certification's, one with its portfolio
evidence, the composite award with its components, a holder with a name in any script. The
schema itself is checked to refuse what the standard forbids, so that a passing test means
something."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import jsonschema_rs
import pytest

from credence.credentials import services
from credence.credentials.models import Certificate
from credence.credentials.tests.conftest import certify_composite
from credence.exams.models import Attempt
from credence.portfolios.models import Submission

SCHEMAS = Path(services.__file__).parent / "schemas"
SCHEMA = json.loads((SCHEMAS / "ob_v3p0_achievementcredential.json").read_text())
VALIDATOR = jsonschema_rs.validator_for(SCHEMA)


def problems(credential: dict) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message}" for e in VALIDATOR.iter_errors(credential)]


def conformance(credential: dict) -> list[str]:
    """The schema's complaints about ``credential``, all of them: none is tolerated. Its one
    status entry is the message list's (decision 0049, which closed the deviation of two)."""
    assert credential["credentialStatus"]["statusPurpose"] == "message"
    return problems(credential)


def test_a_credential_as_signed_has_no_complaint_at_all(certificate):
    """What 1EdTech's schema says about the credential exactly as signed and stored: nothing,
    not even about ``credentialStatus``, which is one object, as the schema requires."""
    credential = services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.credential == credential
    assert problems(credential) == []
    assert isinstance(credential["credentialStatus"], dict)


def test_the_schema_refuses_two_status_entries(certificate):
    """The form Credence signed before decision 0049 closed its deviation, two entries, is
    what the schema refuses; the test can tell."""
    credential = services.credential_issue(certificate=certificate)
    entry = credential["credentialStatus"]
    [complaint] = problems({**credential, "credentialStatus": [entry, entry]})
    assert complaint.startswith("['credentialStatus']: [")
    assert complaint.endswith('is not of type "object"')


def test_the_bundled_schema_is_the_published_one():
    readme = (SCHEMAS / "README.md").read_text()
    digest = hashlib.sha256((SCHEMAS / "ob_v3p0_achievementcredential.json").read_bytes())
    assert digest.hexdigest() in readme
    assert SCHEMA["$id"] == (
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
        "ob_v3p0_achievementcredential-jsonschema1.json"
    )
    assert (SCHEMAS / "LICENSE-1EdTech.md").read_text().startswith("IMS GLOBAL")


def test_a_certifications_credential_is_valid(certificate):
    credential = services.credential_issue(certificate=certificate)
    assert conformance(credential) == []


def test_a_credential_with_its_portfolio_evidence_and_any_name_is_valid(certificate):
    certificate.holder.full_name = "Łukasz Żółć 王小明"
    certificate.holder.save()
    attempt = Attempt.objects.get(candidate=certificate.holder, evaluation__code="portfolio")
    Submission.objects.create(
        candidate=certificate.holder,
        certification=attempt.certification,
        attempt=attempt,
        url="https://github.com/carla/churn-model.git",
        commit="0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        rubric={},
    )
    credential = services.credential_issue(certificate=certificate)
    assert len(credential["evidence"]) == 2
    assert conformance(credential) == []


def test_the_composite_awards_credential_is_valid(program, office, candidate):
    certify_composite(candidate, office)
    composite = Certificate.objects.get(award="ai-engineer")
    credential = services.credential_issue(certificate=composite)
    assert len(credential["evidence"]) == 6
    assert conformance(credential) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c.pop("credentialSubject"), "credentialSubject"),
        (lambda c: c["credentialSubject"].pop("achievement"), "achievement"),
        (lambda c: c.__setitem__("type", ["VerifiableCredential"]), "type"),
        (lambda c: c["@context"].reverse(), "@context"),
        (lambda c: c["issuer"].pop("id"), "id"),
        (lambda c: c.__setitem__("proof", c["proof"][0]), "proof"),
        (lambda c: c.pop("validFrom"), "validFrom"),
    ],
)
def test_the_schema_refuses_what_the_standard_forbids(certificate, change, where):
    credential = copy.deepcopy(services.credential_issue(certificate=certificate))
    change(credential)
    found = conformance(credential)
    assert found, "the schema accepted a credential the standard forbids"
    assert where in " ".join(found)
