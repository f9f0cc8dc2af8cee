"""What the public and the citizen read of a dossier's history (dossiers.selectors)."""

import pytest
from django.urls import reverse

from dossiers.selectors import public_timeline
from tests.dossiers.staff import agency_staff, dossier_at

pytestmark = pytest.mark.django_db


def test_the_public_timeline_shows_each_stage_once_in_order(client):
    """Assigned, proposed and approved are one "Đang giải quyết" for the public (it showed
    as many identical rows as there were inner steps)."""
    dossier = dossier_at(agency_staff(), "returned")
    assert dossier.history.filter(to_status=4).count() > 1  # several inner steps

    labels = [step.public_label for step in public_timeline(dossier)]
    assert labels == [
        "Đã nộp, chờ cơ quan tiếp nhận",
        "Cơ quan đã tiếp nhận",
        "Đang giải quyết",
        "Đã có kết quả, chờ trả",
        "Đã trả kết quả",
    ]
    assert all(a != b for a, b in zip(labels, labels[1:], strict=False))
    assert labels.count("Đang giải quyết") == 1
    first_processing = dossier.history.filter(to_status=4).order_by("at", "pk").first()
    assert next(s for s in public_timeline(dossier) if s.public_label == "Đang giải quyết").at == first_processing.at

    page = client.get(reverse("dossiers:track"), {"ma": dossier.code, "so": dossier.applicant_id_number[-4:]})
    assert page.content.decode().count("Đang giải quyết") == 1
