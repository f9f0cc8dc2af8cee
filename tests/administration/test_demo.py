"""The demo province's agency admin (``quantri.stp``) reaches the agency administration of
Sở Tư pháp from the header, and only it; the provincial admin (``quantri.tinh``) every agency."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from procedures.models import Agency


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_agency_admins_reach_their_agencys_pages(client):
    call_command("seed_demo", stdout=StringIO())
    stp = Agency.objects.get(name="Sở Tư pháp")
    client.force_login(User.objects.get(username="quantri.stp"))
    assert 'href="/quan-tri-don-vi/"' in client.get("/").content.decode()
    response = client.get("/quan-tri-don-vi/", follow=True)
    assert response.redirect_chain[-1][0] == f"/quan-tri-don-vi/{stp.pk}/can-bo/"
    page = response.content.decode()
    assert "motcua.stp" in page and "chuyenvien.stp" in page and "motcua.hacthanh" not in page
    procedures = client.get(f"/quan-tri-don-vi/{stp.pk}/thu-tuc/")
    assert procedures.status_code == 200 and procedures.context["rows"]
    assert client.get(f"/quan-tri-don-vi/{stp.pk}/ngay-nghi/").status_code == 200
    hacthanh = User.objects.get(username="motcua.hacthanh").assignments.get().agency
    assert client.get(f"/quan-tri-don-vi/{hacthanh.pk}/can-bo/").status_code == 404

    client.force_login(User.objects.get(username="quantri.tinh"))
    agencies = client.get("/quan-tri-don-vi/").content.decode()
    assert "Sở Tư pháp" in agencies and hacthanh.name in agencies
