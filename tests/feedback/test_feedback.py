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
    unclassified = client.post(detail, {"action": "accept"})
    assert unclassified.status_code == 400 and "Hãy phân loại" in unclassified.content.decode()
    # About officers' conduct on the dossier: handled by an officer who did not act on it.
    accepted = client.post(detail, {"action": "accept", "category": "conduct", "assignee": staff.other_specialist.pk})
    assert accepted.status_code == 302
    client.force_login(staff.other_specialist)
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
    assert sent.refused_at is not None and sent.refused_at <= sent.accept_due
    assert client.post(detail, {"action": "bogus"}).status_code == 400
    client.force_login(CitizenFactory())
    assert client.get(reverse("feedback:officer_queue")).status_code == 403


def _received(staff, **values) -> Feedback:
    from feedback import services

    return services.feedback_send(values={**GOOD, "anonymous": "on", **values}, agency=staff.agency)


def test_accepting_classifies_and_gives_a_handler_who_finds_it_in_their_queue(client, staff):
    sent = _received(staff)
    detail = reverse("feedback:officer_detail", args=[sent.public_id])
    client.force_login(staff.desk)
    page = client.get(detail).content.decode()
    assert "Quy định, chính sách, thủ tục hành chính" in page and staff.specialist.full_name in page
    # Bad category and a handler from another agency: both answered at their field, nothing moves.
    outsider = agency_staff().specialist
    bad = client.post(detail, {"action": "accept", "category": "weather", "assignee": outsider.pk})
    body = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="err-category"' in body and 'id="err-assignee"' in body
    assert "Cán bộ này không phục vụ cơ quan nhận phản ánh, kiến nghị." in body
    sent.refresh_from_db()
    assert sent.state == FeedbackState.RECEIVED and sent.assignee is None
    ok = client.post(detail, {"action": "accept", "category": "rules", "assignee": staff.specialist.pk})
    assert ok.status_code == 302
    sent.refresh_from_db()
    assert (sent.state, sent.category, sent.assignee, sent.handled_by) == (
        FeedbackState.PROCESSING,
        "rules",
        staff.specialist,
        staff.desk,
    )
    assert sent.accepted_at is not None
    # The handler's own queue shows it; the desk officer's "mine" does not.
    queue = reverse("feedback:officer_queue")
    assert GOOD["title"] not in client.get(queue, {"cua-toi": "1"}).content.decode()
    client.force_login(staff.specialist)
    assert GOOD["title"] in client.get(queue, {"cua-toi": "1"}).content.decode()
    assert GOOD["title"] in client.get(queue, {"loai": "rules"}).content.decode()
    assert GOOD["title"] not in client.get(queue, {"loai": "conduct"}).content.decode()
    bad_filter = client.get(queue, {"loai": "x"})
    assert bad_filter.status_code == 400 and 'id="err-loai"' in bad_filter.content.decode()
    # Re-assigned to the leader, reclassified; an empty handler is refused at the field.
    empty = client.post(detail, {"action": "assign", "assignee": ""})
    assert empty.status_code == 400 and "Hãy chọn cán bộ xử lý." in empty.content.decode()
    assert client.post(detail, {"action": "assign", "assignee": staff.leader.pk}).status_code == 302
    assert client.post(detail, {"action": "classify", "category": "conduct"}).status_code == 302
    sent.refresh_from_db()
    assert (sent.assignee, sent.category) == (staff.leader, "conduct")
    # Accepting by default gives it to the officer who accepts.
    other = _received(staff, title="Khác")
    client.force_login(staff.desk)
    client.post(reverse("feedback:officer_detail", args=[other.public_id]), {"action": "accept", "category": "rules"})
    other.refresh_from_db()
    assert other.assignee == staff.desk


def _published(staff) -> Feedback:
    from feedback import services

    sent = _received(staff)
    services.feedback_act(feedback=sent, officer=staff.desk, action="accept", category="rules")
    services.feedback_act(feedback=sent, officer=staff.desk, action="answer", text="Cơ quan đã sửa hướng dẫn.")
    return services.feedback_act(feedback=sent, officer=staff.desk, action="publish")


def test_the_public_likes_or_dislikes_a_published_answer_once_per_voter(client, staff):
    from feedback.views import VOTER_COOKIE

    sent = _published(staff)
    vote = reverse("feedback:vote", args=[sent.public_id])
    first = client.post(vote, {"value": "1"})
    assert first.status_code == 302 and VOTER_COOKIE in first.cookies
    client.post(vote, {"value": "1"})  # the same browser again: still one like
    sent.refresh_from_db()
    assert (sent.likes, sent.dislikes) == (1, 0)
    client.post(vote, {"value": "-1"})  # changes its mind
    sent.refresh_from_db()
    assert (sent.likes, sent.dislikes) == (0, 1)
    assert sent.votes.count() == 1 and not sent.votes.get().voter.endswith(client.cookies[VOTER_COOKIE].value)
    # Another browser and a signed-in citizen each count once.
    from django.test import Client

    Client().post(vote, {"value": "-1"})
    citizen = Client()
    citizen.force_login(CitizenFactory())
    citizen.post(vote, {"value": "1"})
    citizen.post(vote, {"value": "1"})
    sent.refresh_from_db()
    assert (sent.likes, sent.dislikes) == (1, 2)
    page = client.get(reverse("feedback:public_detail", args=[sent.public_id])).content.decode()
    assert 'id="fb-likes">1<' in page and 'id="fb-dislikes">2<' in page
    # Bad value: answered at the field, counts unchanged.
    bad = client.post(vote, {"value": "5"})
    assert bad.status_code == 400 and "Hãy chọn hài lòng hoặc chưa hài lòng" in bad.content.decode()
    assert client.post(vote, {"value": ""}).status_code == 400
    sent.refresh_from_db()
    assert (sent.likes, sent.dislikes) == (1, 2)


def test_votes_only_on_published_answers(client, staff):
    sent = _received(staff)
    assert client.post(reverse("feedback:vote", args=[sent.public_id]), {"value": "1"}).status_code == 404
    assert client.get(reverse("feedback:vote", args=[sent.public_id])).status_code == 405
    # Its signed sender sees it, but may not vote before it is published.
    from feedback import services

    citizen = CitizenFactory()
    mine = services.feedback_send(values=GOOD, user=citizen, agency=staff.agency)
    client.force_login(citizen)
    refused = client.post(reverse("feedback:vote", args=[mine.public_id]), {"value": "1"})
    assert refused.status_code == 400 and "Chỉ gửi ý kiến về câu trả lời đã công khai." in refused.content.decode()


def test_a_complaint_about_officers_is_handled_answered_and_published_by_others(client, staff):
    """About officers' conduct on a dossier: those who acted on it may not be its handler,
    nor answer or publish the answer (the officer complained of once answered and published
    it); an officer of the agency who did not touch the dossier does. About rules, anyone."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from feedback import services

    dossier = dossier_at(staff, "returned")
    sent = services.feedback_send(values=GOOD, user=dossier.owner, agency=staff.agency, dossier=dossier)
    detail = reverse("feedback:officer_detail", args=[sent.public_id])
    client.force_login(staff.desk)
    # The specialist who handled the dossier cannot be given the complaint: said at the field.
    bad = client.post(detail, {"action": "accept", "category": "conduct", "assignee": staff.specialist.pk})
    assert bad.status_code == 400 and "Cán bộ bị phản ánh không được giao xử lý" in bad.content.decode()
    sent.refresh_from_db()
    assert sent.state == FeedbackState.RECEIVED
    # Accepted by the desk for an officer who never touched the dossier.
    ok = client.post(detail, {"action": "accept", "category": "conduct", "assignee": staff.other_specialist.pk})
    assert ok.status_code == 302
    # The desk officer received the dossier: no answer from them, nor from the specialist.
    for involved in (staff.desk, staff.specialist):
        with pytest.raises(PermissionDenied):
            services.feedback_act(
                feedback=sent, officer=involved, action="answer", text="Cán bộ đã làm đúng quy trình."
            )
    with pytest.raises(ValidationError) as refused:
        services.feedback_act(
            feedback=sent, officer=staff.other_specialist, action="assign", assignee_id=staff.department_leader.pk
        )
    assert "assignee" in refused.value.message_dict  # the head of division approved the result
    answered = services.feedback_act(
        feedback=sent, officer=staff.other_specialist, action="answer", text="Cơ quan đã xác minh và nhắc nhở cán bộ."
    )
    with pytest.raises(PermissionDenied):
        services.feedback_act(feedback=answered, officer=staff.desk, action="publish")
    published = services.feedback_act(feedback=answered, officer=staff.other_specialist, action="publish")
    assert published.state == FeedbackState.PUBLISHED

    # About rules and procedures, the desk officer who received the dossier may answer.
    rules = services.feedback_send(values=GOOD, user=dossier.owner, agency=staff.agency, dossier=dossier)
    services.feedback_act(feedback=rules, officer=staff.desk, action="accept", category="rules")
    services.feedback_act(feedback=rules, officer=staff.desk, action="answer", text="Cơ quan đã sửa hướng dẫn.")
