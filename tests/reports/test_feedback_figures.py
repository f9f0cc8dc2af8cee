"""QĐ 766 5.1–5.3 for one agency's feedback received in November 2026, counted by hand.

Deadlines (working days, 1 Nov 2026 is a Sunday): feedback received Mon 2 Nov 09:00 must be
refused by Wed 4 Nov 09:00 and answered by Mon 23 Nov 09:00; an answer is published within
2 working days of it.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import AccountKind, StaffRole
from feedback import services
from feedback.models import Feedback
from reports import indices, selectors
from reports.periods import Period
from tests.dossiers.staff import agency_staff
from tests.factories import StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOV = Period("month", 2026, 11)


def t(day: int, hour: int = 9, month: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))


def item(staff, title: str, *, received=None, **fields) -> Feedback:
    received = received or t(2)
    sent = services.feedback_send(
        values={"kind": "report", "title": title, "content": "Nội dung phản ánh đủ dài.", "anonymous": "on"},
        agency=staff.agency,
    )
    fields = {
        "received_at": received,
        "accept_due": received + datetime.timedelta(days=2),
        "answer_due": received + datetime.timedelta(days=21),
        **fields,
    }
    Feedback.objects.filter(pk=sent.pk).update(**fields)
    sent.refresh_from_db()
    return sent


@pytest.fixture
def staff():
    staff = agency_staff()
    # A: refused on day 2 — on time.
    item(staff, "A", state="refused", refused_at=t(3))
    # B: refused on day 5, after its 2 working days — overdue.
    item(staff, "B", state="refused", refused_at=t(5))
    # C: rules, answered 10 Nov, published 11 Nov, 3 likes 1 dislike — on time, satisfied.
    item(
        staff,
        "C",
        state="published",
        category="rules",
        answered_at=t(10),
        publish_due=t(12),
        published_at=t(11),
        likes=3,
        dislikes=1,
    )
    # D: conduct, on time but 1 like 4 dislikes — on time, not satisfied.
    item(
        staff,
        "D",
        state="published",
        category="conduct",
        answered_at=t(10),
        publish_due=t(12),
        published_at=t(11),
        likes=1,
        dislikes=4,
    )
    # E: conduct, answered 25 Nov after its 23 Nov deadline — overdue (dislikes don't count twice).
    item(
        staff,
        "E",
        state="published",
        category="conduct",
        answered_at=t(25),
        publish_due=t(27),
        published_at=t(26),
        likes=0,
        dislikes=2,
    )
    # F: rules, still processing at the end of November, due 23 Nov — overdue.
    item(staff, "F", state="processing", category="rules")
    # G: received 20 Nov, due 11 Dec, still waiting — on time at the period's end; unclassified.
    item(staff, "G", received=t(20), answer_due=t(11, month=12))
    # H: answered 12 Nov, publish due 16 Nov, still not published — overdue.
    item(staff, "H", state="answered", category="rules", answered_at=t(12), publish_due=t(16))
    # I: received in October: not November's.
    item(staff, "I", received=t(15, month=10), state="refused", refused_at=t(16, month=10))
    return staff


def test_november_feedback_figures_match_the_hand_count(staff):
    figures = selectors.feedback(NOV, [staff.agency.pk])[staff.agency.pk]
    assert figures == {
        "feedback": 8,  # A–H
        "feedback_overdue": 4,  # B, E, F, H
        "feedback_disliked": 1,  # D (E is already overdue)
        "feedback_closed": 5,  # A, B, C, D, E
        "feedback_rules": 3,  # C, F, H
        "feedback_conduct": 2,  # D, E
    }
    evaluation = indices.evaluate(figures)
    on_time, satisfied = evaluation.score("5.2"), evaluation.score("5.3")
    assert (on_time.numerator, on_time.denominator, on_time.rate) == (4, 8, Decimal("50.00"))
    assert (satisfied.numerator, satisfied.denominator, satisfied.rate) == (3, 8, Decimal("37.50"))
    assert on_time.points == Decimal("3.00") and satisfied.points == Decimal("2.25")
    assert indices.derived(figures)["feedback_unclassified"] == 3  # A, B, G


def test_the_kpi_page_shows_the_classification(client, staff):
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("reports:kpi"), {"ky": "2026-11"}).content.decode()
    assert 'id="pakn-rules">3<' in page and 'id="pakn-conduct">2<' in page
    assert "3 chưa phân loại, trên tổng số 8" in page
