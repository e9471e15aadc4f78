"""Every certificate's public page links to how its certification's test decides (decision
0045): the hiring manager who checks a certificate can read how good the decision behind it
is."""

from __future__ import annotations

from datetime import date

from django.test import Client

from credence.credentials.models import Certificate
from credence.credentials.tests.conftest import certify
from credence.psychometrics import api as psychometrics_api


def test_the_verification_page_links_the_certifications_transparency_page(certificate):
    visitor = Client()
    page = visitor.get(f"/certificates/{certificate.serial}/").content.decode()
    link = psychometrics_api.transparency_url("ml-expert")
    assert link == "/transparency/ml-expert/"
    assert f'href="{link}"' in page
    followed = visitor.get(link)
    assert followed.status_code == 200
    assert "(ML Expert)" in followed.content.decode()


def test_the_composite_awards_page_links_the_list_of_every_certifications_page(
    program, office, candidate
):
    for i, code in enumerate(
        ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp", "generative-ai"]
    ):
        certify(candidate, office, code, date(2026, 1, 5 + 3 * i))
    composite = Certificate.objects.get(award="ai-engineer")
    page = Client().get(f"/certificates/{composite.serial}/").content.decode()
    assert psychometrics_api.transparency_url() == "/transparency/"
    assert 'href="/transparency/"' in page
    assert 'href="/transparency/ml-expert/"' not in page
