"""`credence keys ...` and `credence credentials ...` as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from credence.credentials import dataintegrity, multikey, services
from credence.credentials.models import SigningKey
from credence.credentials.openbadges import build_credential
from credence.credentials.tests.conftest import signed_with_two_entries
from credence.credentials.tests.test_dataintegrity import KEYS, PRIVATE, _facts

VECTORS = Path(__file__).parent / "vectors"


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


DID_KEY_METHOD = f"did:key:{KEYS['publicKeyMultibase']}#{KEYS['publicKeyMultibase']}"


def did_key_badge() -> dict:
    """An Open Badge issued and signed by the W3C vector's did:key, with no status."""
    document = build_credential(_facts(issuer_did=DID_KEY_METHOD.split("#")[0]))
    del document["credentialStatus"]
    return dataintegrity.sign(
        document,
        private_key=PRIVATE,
        verification_method=DID_KEY_METHOD,
        created=datetime(2026, 5, 7, tzinfo=UTC),
    )


def test_keys_create_rotate_list(db):
    assert "created did:web:certs.example.test#key-" in run("keys", "create")[1]
    with pytest.raises(CommandError, match="rotate"):
        call_command("keys", "create", stdout=StringIO())
    assert "now signing with" in run("keys", "rotate")[1]
    listing = run("keys", "list")[1]
    assert "issuer did:web:certs.example.test" in listing
    assert listing.count("z6Mk") == 2 and "rotated" in listing and "signing" in listing
    assert SigningKey.objects.filter(signing=True).count() == 1


def test_export_list_and_verify_our_own_credential(certificate, tmp_path):
    code, exported = run("credentials", "export", certificate.serial)
    credential = json.loads(exported)
    assert credential["id"].endswith(f"/certificates/{certificate.serial}/")
    rows = json.loads(run("credentials", "list", "--json")[1])
    assert rows == [
        {
            "serial": certificate.serial,
            "holder": "Carla Certified",
            "certification": "ml-expert",
            "issued_on": "2026-03-22",
            "valid_until": "2031-03-22",
            "standing": "valid",
        }
    ]
    path = tmp_path / "credential.json"
    path.write_text(exported)
    code, out = run("credentials", "verify", str(path))
    assert code == 0 and out.startswith("Valid")
    assert "  issuer: did:web:certs.example.test (this platform)\n" in out
    code, out = run("credentials", "verify", str(path), "--json")
    assert json.loads(out)["issuer_is_this_platform"] is True
    credential["validUntil"] = "2036-03-22T22:59:59Z"
    path.write_text(json.dumps(credential))
    code, out = run("credentials", "verify", str(path))
    assert code == 1 and "signature does not match" in out


@pytest.mark.parametrize("form", ["one message entry", "two entries, signed before 0049"])
def test_verify_our_own_credential_tells_suspended_and_revoked_apart(
    certificate, office, tmp_path, form
):
    if form == "one message entry":
        credential = services.credential_issue(certificate=certificate)
        lines = ("  message: not set (in force)", "  message: set (suspended)")
        revoked = "  message: set (revoked)"
    else:
        credential = signed_with_two_entries(certificate)
        lines = ("  revocation: not set\n  suspension: not set", "  suspension: set")
        revoked = "  revocation: set\n  suspension: not set"
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential))
    code, out = run("credentials", "verify", str(path))
    assert code == 0 and out.startswith("Valid") and lines[0] in out
    services.certificate_suspend(certificate=certificate, reason="Review", acting_user=office)
    code, out = run("credentials", "verify", str(path))
    assert code == 1 and out.startswith("Suspended") and lines[1] in out
    services.certificate_revoke(certificate=certificate, reason="Fraud", acting_user=office)
    code, out = run("credentials", "verify", str(path))
    assert code == 1 and out.startswith("Revoked") and revoked in out


def test_verify_another_issuers_credential_with_did_key(db, tmp_path):
    path = tmp_path / "w3c.json"
    path.write_text((VECTORS / "signedDataInt.json").read_text())
    # signed by did:key, but its issuer is https://vc.example/...: the key is not the issuer's
    code, out = run("credentials", "verify", str(path))
    assert code == 1 and "not by its issuer" in out
    path.write_text(json.dumps(did_key_badge()))
    code, out = run("credentials", "verify", str(path))
    assert code == 0 and out.startswith("Valid")
    # valid, and plainly not ours, whatever name it copies
    did_key = DID_KEY_METHOD.split("#")[0]
    assert (
        f"  issuer: {did_key} (not this platform, which issues as did:web:certs.example.test)\n"
    ) in out
    code, out = run("credentials", "verify", str(path), "--json")
    assert json.loads(out)["issuer_is_this_platform"] is False


def test_verify_works_on_a_machine_with_no_database_set_up(tmp_path):
    # a hiring manager's machine: nothing migrated, only the credential file (issue 18)
    (tmp_path / "c.json").write_text(json.dumps(did_key_badge()))
    environment = {
        **os.environ,
        "CREDENCE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }

    verified = subprocess.run(
        [sys.executable, "-m", "credence", "credentials", "verify", str(tmp_path / "c.json")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (verified.returncode, verified.stderr) == (0, ""), verified.stderr
    assert verified.stdout.startswith("Valid")
    assert "no Credence platform is set up here" in verified.stdout


def test_verify_with_a_supplied_did_document_and_status_list(db, tmp_path):
    did = "did:web:badges.other.example"
    method = f"{did}#key-1"
    did_doc = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey.public_multikey(PRIVATE.public_key()),
            }
        ],
        "assertionMethod": [method],
    }
    status_url = "https://badges.other.example/status/1"
    document = build_credential(_facts(issuer_did=did, status_list_url=status_url, status_index=7))
    signed = dataintegrity.sign(
        document,
        private_key=PRIVATE,
        verification_method=method,
        created=datetime(2026, 5, 7, tzinfo=UTC),
    )
    (tmp_path / "c.json").write_text(json.dumps(signed))
    (tmp_path / "did.json").write_text(json.dumps(did_doc))
    # without the issuer's DID document nothing is known about the signature: exit 2, not 1
    code, out = run("credentials", "verify", str(tmp_path / "c.json"))
    assert code == 2
    assert out.startswith("Signature could not be checked") and "cannot be resolved offline" in out
    code, out = run(
        "credentials",
        "verify",
        str(tmp_path / "c.json"),
        "--did-document",
        str(tmp_path / "did.json"),
    )
    assert code == 2 and "Status could not be checked" in out
    from credence.credentials import statuslist
    from credence.credentials.openbadges import build_status_list_credential

    listing = dataintegrity.sign(
        build_status_list_credential(
            url=status_url,
            issuer_did=did,
            purpose="message",
            encoded_list=statuslist.encode([(7, 2)], status_size=2),  # 0x2: revoked
            valid_from=datetime(2026, 6, 1, tzinfo=UTC),
        ),
        private_key=PRIVATE,
        verification_method=method,
        created=datetime(2026, 6, 1, tzinfo=UTC),
    )
    (tmp_path / "status.json").write_text(json.dumps(listing))
    code, out = run(
        "credentials",
        "verify",
        str(tmp_path / "c.json"),
        "--did-document",
        str(tmp_path / "did.json"),
        "--status-list",
        str(tmp_path / "status.json"),
    )
    assert code == 1 and out.startswith("Revoked")
    assert "  message: set (revoked)\n" in out


def test_verify_explains_unreadable_files(db, tmp_path):
    with pytest.raises(CommandError, match="not JSON"):
        (tmp_path / "x.json").write_text("{")
        call_command("credentials", "verify", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("credentials", "verify", str(tmp_path / "missing.json"))


def test_issue_and_remind(certificate):
    assert run("credentials", "issue")[1].strip() == "1 credential(s) signed"
    assert run("credentials", "issue")[1].strip() == "0 credential(s) signed"
    out = run("credentials", "remind", "--today", "2031-02-20")[1]
    assert out.strip() == "1 reminder(s) queued, 0 award(s) made"
    assert services.reminders_send_due(today=datetime(2031, 2, 20).date()) == []
