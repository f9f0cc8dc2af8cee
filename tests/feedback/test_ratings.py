"""Ratings after hand-over: online by the owner, on paper recorded by the desk; once; bad input."""

import pytest
from django.urls import reverse

from feedback.constants import RatingSource
from feedback.models import Rating
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

GOOD = {"overall": "very_satisfied", "convenience": "satisfied", "on_time": "very_satisfied", "attitude": "satisfied"}


@pytest.fixture
def staff():
    return agency_staff()


def test_the_owner_rates_once_after_the_hand_over(client, staff):
    dossier = dossier_at(staff, "returned")
    client.force_login(dossier.owner)
    detail = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
    assert 'id="rate-box"' in detail
    url = reverse("feedback:rate", args=[dossier.public_id])
    assert "Thái độ, tinh thần phục vụ của cán bộ" in client.get(url).content.decode()
    assert client.post(url, GOOD).status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.source, rating.overall, rating.criteria["on_time"], rating.rated_by) == (
        RatingSource.ONLINE,
        "very_satisfied",
        "very_satisfied",
        dossier.owner,
    )
    assert 'id="rated"' in client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
    again = client.post(url, {**GOOD, "overall": "dissatisfied", "comment": "Đổi ý"})
    assert again.status_code == 400 and "Bạn đã đánh giá" in again.content.decode()
    assert Rating.objects.get(dossier=dossier).overall == "very_satisfied"


def test_bad_input_is_refused_at_the_field_and_kept(client, staff):
    dossier = dossier_at(staff, "returned")
    client.force_login(dossier.owner)
    url = reverse("feedback:rate", args=[dossier.public_id])
    missing = client.post(url, {"overall": "satisfied", "convenience": "satisfied", "comment": "Tốt"})
    body = missing.content.decode()
    assert missing.status_code == 400 and body.count("Hãy chọn một mức cho tiêu chí này.") == 2
    assert 'name="overall" value="satisfied" checked' in body and ">Tốt</textarea>" in body
    unhappy = client.post(url, {**GOOD, "overall": "dissatisfied"})
    assert unhappy.status_code == 400 and "Hãy cho biết điều bạn chưa hài lòng" in unhappy.content.decode()
    forged = client.post(url, {**GOOD, "overall": "5 sao"})
    assert forged.status_code == 400 and "Hãy chọn một mức đánh giá chung." in forged.content.decode()
    too_long = client.post(url, {**GOOD, "comment": "x" * 2001})
    assert too_long.status_code == 400 and "Tối đa 2000 ký tự." in too_long.content.decode()
    assert not Rating.objects.exists()


def test_not_before_the_result_nor_someone_elses(client, staff):
    running = dossier_at(staff, "approval")
    client.force_login(running.owner)
    response = client.post(reverse("feedback:rate", args=[running.public_id]), GOOD)
    assert response.status_code == 400 and "chỉ được đánh giá sau khi đã trả kết quả" in response.content.decode()
    returned = dossier_at(staff, "returned")
    client.force_login(CitizenFactory())
    assert client.get(reverse("feedback:rate", args=[returned.public_id])).status_code == 404
    assert client.post(reverse("feedback:rate", args=[returned.public_id]), GOOD).status_code == 404
    assert not Rating.objects.exists()


def test_the_desk_records_a_paper_slip(client, staff):
    dossier = dossier_at(staff, "returned")
    client.force_login(staff.desk)
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert 'id="tt-record_rating"' in page
    url = reverse("desk:record_rating", args=[dossier.code])
    bad = client.post(url, {"overall": "dissatisfied"})
    assert bad.status_code == 400 and "Hãy cho biết điều bạn chưa hài lòng" in bad.content.decode()
    assert client.post(url, {**GOOD, "overall": "dissatisfied", "comment": "Chờ lâu"}).status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.source, rating.recorded_by, rating.rated_by) == (RatingSource.PAPER, staff.desk, dossier.owner)
    second = client.post(url, GOOD)
    assert second.status_code == 400 and "Hồ sơ này đã được đánh giá." in second.content.decode()
    client.force_login(staff.specialist)
    assert client.post(url, GOOD).status_code == 403
    client.force_login(agency_staff().desk)
    assert client.post(url, GOOD).status_code == 404
