"""Phản ánh, kiến nghị: sent signed or anonymous, handled by the agency within deadlines,
answered and published; bad input at the field; other agencies kept out."""

import pytest
from django.urls import reverse

from feedback.constants import FeedbackState
from feedback.models import Feedback
from notifications.constants import Event
from notifications.models import Notification
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

GOOD = {"kind": "report", "title": "Cán bộ hẹn lại nhiều lần", "content": "Tôi phải đến ba lần mới nộp được hồ sơ."}


@pytest.fixture
def staff():
    return agency_staff()


def test_a_citizen_reports_on_a_dossier_and_the_agency_answers_and_publishes(
    client, staff, django_capture_on_commit_callbacks
):
    dossier = dossier_at(staff, "returned")
    client.force_login(dossier.owner)
    url = reverse("feedback:send") + f"?ho-so={dossier.code}"
    assert f"Về hồ sơ <strong>{dossier.code}</strong>" in client.get(url).content.decode()
    response = client.post(reverse("feedback:send"), {**GOOD, "ho-so": dossier.code})
    assert response.status_code == 302
    sent = Feedback.objects.get()
    assert (sent.agency, sent.dossier, sent.sender, sent.state) == (
        staff.agency,
        dossier,
        dossier.owner,
        FeedbackState.RECEIVED,
    )
    assert sent.accept_due < sent.answer_due
    # Not public before it is answered and published; its sender sees it.
    assert GOOD["title"] in client.get(response["Location"]).content.decode()
    client.logout()
    assert client.get(reverse("feedback:public_detail", args=[sent.public_id])).status_code == 404

    client.force_login(staff.desk)
    queue = client.get(reverse("feedback:officer_queue")).content.decode()
    assert GOOD["title"] in queue
    detail = reverse("feedback:officer_detail", args=[sent.public_id])
    assert client.post(detail, {"action": "answer", "text": "Trả lời sớm"}).status_code == 400  # not accepted yet
    assert client.post(detail, {"action": "accept"}).status_code == 302
    short = client.post(detail, {"action": "answer", "text": "Ok"})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.content.decode()
    answer = "Cơ quan đã nhắc nhở cán bộ và xin lỗi ông/bà."
    assert client.post(detail, {"action": "answer", "text": answer}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {"action": "publish"}).status_code == 302
    sent.refresh_from_db()
    assert sent.state == FeedbackState.PUBLISHED and sent.publish_due and sent.published_at
    assert Notification.objects.filter(recipient=dossier.owner, event=Event.FEEDBACK_ANSWERED, state="sent").exists()

    client.logout()
    public = client.get(reverse("feedback:public_detail", args=[sent.public_id])).content.decode()
    assert answer in public and "Đã công khai" in public
    assert GOOD["title"] in client.get(reverse("feedback:public_list")).content.decode()


def test_anonymous_feedback_and_bad_input(client, staff):
    url = reverse("feedback:send")
    bad = client.post(url, {"kind": "x", "title": "", "content": "ngắn", "agency": ""})
    body = bad.content.decode()
    assert bad.status_code == 400
    for message in ("Hãy chọn phản ánh hay kiến nghị.", "Hãy nhập tiêu đề.", "ít nhất 10 ký tự", "Hãy chọn cơ quan"):
        assert message in body
    assert ">ngắn</textarea>" in body
    unsigned = client.post(url, {**GOOD, "agency": staff.agency.pk})
    assert unsigned.status_code == 400 and "hoặc chọn gửi ẩn danh" in unsigned.content.decode()
    assert client.post(url, {**GOOD, "agency": staff.agency.pk, "anonymous": "on"}).status_code == 302
    sent = Feedback.objects.get()
    assert sent.anonymous and sent.sender is None and sent.sender_name == ""
    assert not Feedback.objects.filter(state=FeedbackState.PUBLISHED).exists()


def test_refusal_needs_a_reason_and_other_agencies_stay_out(client, staff):
    client.force_login(CitizenFactory())
    client.post(reverse("feedback:send"), {**GOOD, "agency": staff.agency.pk})
    sent = Feedback.objects.get()
    detail = reverse("feedback:officer_detail", args=[sent.public_id])
    other = agency_staff()
    client.force_login(other.desk)
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "accept"}).status_code == 404
    assert GOOD["title"] not in client.get(reverse("feedback:officer_queue")).content.decode()
    client.force_login(staff.leader)
    no_reason = client.post(detail, {"action": "refuse", "text": " "})
    assert no_reason.status_code == 400 and "Hãy ghi rõ lý do không tiếp nhận." in no_reason.content.decode()
    assert client.post(detail, {"action": "refuse", "text": "Không thuộc thẩm quyền."}).status_code == 302
    sent.refresh_from_db()
    assert sent.state == FeedbackState.REFUSED and sent.refusal_reason == "Không thuộc thẩm quyền."
    assert client.post(detail, {"action": "bogus"}).status_code == 400
    client.force_login(CitizenFactory())
    assert client.get(reverse("feedback:officer_queue")).status_code == 403
