import pytest
pytestmark = pytest.mark.django_db
def test_probe(client):
    r = client.get("/accounts/login/")
    print(r.status_code)
    assert r.status_code == 200
