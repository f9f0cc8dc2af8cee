"""The in-app list, the header's unread count, and the channel choices page."""

import pytest
from django.urls import reverse

from dossiers import processing
from notifications.constants import Channel, Event
from notifications.models import ChannelPreference, Notification
from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def filed(staff, committed):
    dossier = committed(submitted_dossier, staff.agency)
    committed(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    return dossier


def test_the_header_counts_unread_and_the_list_marks_them_read(client, filed):
    client.force_login(filed.owner)
    body = client.get(reverse("dossiers:mine")).content.decode()
    assert 'id="unread-count"' in body and '<span class="unread-count" id="unread-count"' in body
    assert client.get(reverse("notifications:unread")).json() == {"unread": 2}

    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('class="notification-item unread"') == 2
    assert f"Hồ sơ {filed.code} đã được tiếp nhận" in page
    assert page.index("đã được tiếp nhận") < page.index("đã được nộp")  # newest first
    assert f'href="/ho-so/{filed.public_id}/"' in page
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert 'class="notification-item unread"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_nobody_sees_anothers_notifications(client, filed):
    client.force_login(CitizenFactory())
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert filed.code not in client.get(reverse("notifications:inbox")).content.decode()


def test_anonymous_visitors(client):
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert client.get(reverse("notifications:inbox")).status_code == 302
    assert client.get(reverse("notifications:preferences")).status_code == 302
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_mark_all_read_needs_post(client, filed):
    client.force_login(filed.owner)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}


def test_officers_open_their_notices_on_the_officer_page(client, staff, committed):
    dossier = committed(submitted_dossier, staff.agency)
    committed(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    committed(
        processing.dossier_act,
        dossier=dossier,
        action="assign",
        actor=staff.desk,
        data={"department": "Phòng Hành chính tư pháp", "handler": staff.specialist.pk},
    )
    client.force_login(staff.specialist)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'href="/can-bo/ho-so/{dossier.code}/"' in page and "được giao cho đồng chí" in page


def test_channel_choices_need_an_address_and_keep_what_was_ticked(client):
    citizen = CitizenFactory(email="")
    client.force_login(citizen)
    url = reverse("notifications:preferences")
    assert f'href="{url}"' in client.get(reverse("accounts:profile")).content.decode()  # reached from the profile
    page = client.get(url).content.decode()
    assert 'id="id_sms" checked' in page and 'id="id_email" checked' not in page  # defaults from the account

    bad = client.post(url, {"email": "on", "sms": "on"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Tài khoản chưa có địa chỉ thư điện tử" in body and 'aria-describedby="err-email"' in body
    assert 'name="email" id="id_email" checked' in body and 'name="sms" id="id_sms" checked' in body
    assert not ChannelPreference.objects.filter(user=citizen).exists()

    assert client.post(url, {"sms": "on"}).status_code == 302
    pref = ChannelPreference.objects.get(user=citizen)
    assert (pref.email, pref.sms) == (False, True)
    assert client.post(url, {}).status_code == 302
    pref.refresh_from_db()
    assert (pref.email, pref.sms) == (False, False)


def test_choices_apply_to_the_next_event(client, staff, committed):
    dossier = committed(submitted_dossier, staff.agency)
    client.force_login(dossier.owner)
    client.post(reverse("notifications:preferences"), {"email": "on"})
    committed(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    channels = set(Notification.objects.filter(dossier=dossier, event=Event.RECEIVED).values_list("channel", flat=True))
    assert channels == {Channel.IN_APP, Channel.EMAIL}


def test_an_officer_chooses_a_daily_digest_and_bad_choices_are_refused_at_the_field(client, staff):
    from notifications.constants import OfficerEmail

    url = reverse("notifications:preferences")
    client.force_login(staff.desk)
    page = client.get(url).content.decode()
    assert 'id="id_officer_email_each" checked' in page  # one e-mail per event until they choose

    # A value that is not offered, and no choice at all: refused at the field, nothing saved.
    for data in ({"email": "on", "officer_email": "weekly"}, {"email": "on"}):
        bad = client.post(url, data)
        assert bad.status_code == 400
        assert 'aria-describedby="err-officer_email"' in bad.content.decode()
        assert "Hãy chọn nhận mỗi việc một thư hoặc một thư tổng hợp mỗi ngày." in bad.content.decode()
    # A digest without e-mail: refused, and what was ticked is kept.
    bad = client.post(url, {"officer_email": OfficerEmail.DAILY, "sms": "on"})
    body = bad.content.decode()
    assert bad.status_code == 400 and "Thư tổng hợp được gửi qua thư điện tử" in body
    assert 'id="id_officer_email_daily" checked' in body and 'id="id_sms" checked' in body
    assert not ChannelPreference.objects.filter(user=staff.desk).exists()

    assert client.post(url, {"email": "on", "officer_email": OfficerEmail.DAILY}).status_code == 302
    assert ChannelPreference.objects.get(user=staff.desk).officer_email == OfficerEmail.DAILY
    assert 'id="id_officer_email_daily" checked' in client.get(url).content.decode()


def test_citizens_are_not_offered_the_officers_digest(client):
    citizen = CitizenFactory()
    client.force_login(citizen)
    url = reverse("notifications:preferences")
    assert "officer_email" not in client.get(url).content.decode()
    assert client.post(url, {"email": "on", "officer_email": "daily"}).status_code == 302  # ignored
    assert ChannelPreference.objects.get(user=citizen).officer_email == "each"
