"""The signed credential is in the program file's own language, whoever asks first (decision
0037): the public page signs it on first view, and that visitor may read German."""

from __future__ import annotations

from django.utils import translation

from credence.credentials.services import credential_issue


def test_a_credential_first_asked_for_in_german_is_signed_in_english(certificate):
    with translation.override("de"):
        assert certificate.certification.name.startswith("Trainieren")
        signed = credential_issue(certificate=certificate)
    achievement = signed["credentialSubject"]["achievement"]
    assert achievement["name"].startswith("Training, Evaluating")
    assert "Hat einen" not in str(signed)
