"""Withdrawing a published procedure (bãi bỏ, ngừng thực hiện): services.procedure_withdraw,
the daily switch, the filing refusal (selectors.filing_refusal through
dossiers.services.dossier_start), the public page and the admin page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.constants import StaffRole
from dossiers import services as dossier_services
from procedures import selectors, services
from procedures.models import Withdrawal
from procedures.selectors import CatalogFilters
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    DraftVersionFactory,
    StaffAssignmentFactory,
    UserFactory,
    online_version,
    published_version,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
LONG_AGO = TODAY - datetime.timedelta(days=400)


def online(**kwargs):
    """A level-3 procedure in force since long ago."""
    version = online_version(name="Cấp bản sao trích lục hộ tịch", **kwargs)
    version.__class__.objects.filter(pk=version.pk).update(effective_from=LONG_AGO)
    version.refresh_from_db()
    return version


def withdraw(version, *, effective_on=TODAY, user="admin", **kwargs):
    values = {"decision_number": "1234/QĐ-UBND", "reason": "Nghị định 07/2026/NĐ-CP bãi bỏ thủ tục này."}
    values.update(kwargs)
    return services.procedure_withdraw(
        procedure=version.procedure,
        effective_on=effective_on,
        user=AdminFactory() if user == "admin" else user,
        **values,
    )


def start(version, citizen=None):
    agency = version.agency_roles.first().agency
    return dossier_services.dossier_start(user=citizen or CitizenFactory(), version=version, agency=agency)


# --- the rule -------------------------------------------------------------------------------


def test_a_published_procedure_is_withdrawn_from_today():
    """The defect: there was no way to withdraw a published procedure."""
    version = online()
    admin = AdminFactory()
    withdrawal = withdraw(version, user=admin, decision_date=YESTERDAY)
    assert (withdrawal.effective_on, withdrawal.decision_number, withdrawal.recorded_by) == (
        TODAY,
        "1234/QĐ-UBND",
        admin,
    )
    assert withdrawal.recorded_at is not None and withdrawal.decision_date == YESTERDAY
    version.refresh_from_db()
    assert not version.is_current and version.status == "published"  # the version itself is unchanged


def test_from_that_day_no_new_filing_with_a_clear_message():
    version = online()
    assert selectors.is_fileable(version)
    withdraw(version)
    version.refresh_from_db()
    assert not selectors.is_fileable(version)
    with pytest.raises(ValidationError) as exc:
        start(version)
    assert exc.value.messages == [
        f"Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày {TODAY:%d/%m/%Y} (quyết định 1234/QĐ-UBND): "
        "không tiếp nhận hồ sơ mới. Hồ sơ đã nộp trước ngày đó vẫn được giải quyết."
    ]


def test_the_refusal_holds_on_the_day_even_before_the_daily_switch_has_run():
    version = online()
    withdraw(version, effective_on=TOMORROW)
    version.refresh_from_db()
    assert version.is_current and selectors.is_fileable(version)  # scheduled: still open today
    assert selectors.filing_refusal(version, on=TOMORROW).startswith("Thủ tục này đã bị bãi bỏ")


def test_a_scheduled_withdrawal_takes_effect_on_its_day_through_the_daily_task():
    version = online()
    withdraw(version, effective_on=TOMORROW)
    assert services.catalog_refresh_current(today=TODAY) == 0
    assert services.catalog_refresh_current(today=TOMORROW) == 1
    version.refresh_from_db()
    assert not version.is_current


def test_run_periodic_runs_the_daily_switch(monkeypatch):
    version = online()
    Withdrawal.objects.create(
        procedure=version.procedure, effective_on=TODAY, decision_number="1/QĐ-UBND", reason="Bãi bỏ"
    )  # recorded as if yesterday, for today: the switch has not run yet
    version.refresh_from_db()
    assert version.is_current
    call_command("run_periodic", "catalog-activate-due-versions")
    version.refresh_from_db()
    assert not version.is_current


def test_search_and_lists_no_longer_offer_it_but_its_page_and_history_stay():
    version = online()
    other = online()
    withdraw(version)
    results, _ = selectors.catalog_search(CatalogFilters())
    assert [v.pk for v in results] == [other.pk]
    assert selectors.level_counts()[3] == 1

    code = version.procedure.national_code
    from django.test import Client

    page = Client().get(reverse("procedures:procedure_detail", args=[code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in body
    assert f"ngừng thực hiện từ ngày {TODAY:%d/%m/%Y}" in body and "1234/QĐ-UBND" in body
    assert "Không tiếp nhận hồ sơ mới" in body
    assert f'href="{reverse("dossiers:start", args=[code])}"' not in body
    old = Client().get(reverse("procedures:procedure_version", args=[code, version.number]))
    assert old.status_code == 200 and "Bãi bỏ, ngừng thực hiện từ" in old.content.decode()


def test_a_scheduled_withdrawal_is_announced_on_the_page():
    version = online()
    withdraw(version, effective_on=TOMORROW)
    from django.test import Client

    body = Client().get(version.procedure.get_absolute_url()).content.decode()
    assert f"sẽ ngừng thực hiện từ ngày {TOMORROW:%d/%m/%Y}" in body
    assert "Nộp hồ sơ trực tuyến" in body


def test_dossiers_already_filed_go_on():
    version = online()
    citizen = CitizenFactory()
    dossier = start(version, citizen)  # a draft opened before the withdrawal
    withdraw(version)
    dossier.refresh_from_db()
    assert dossier.procedure_version_id == version.pk
    # its owner can still open it (the draft is theirs; a filed dossier goes on in the workflow)
    assert dossier_services.dossier_save_draft(dossier=dossier, actor=citizen, applicant={}, answers={})


def test_a_past_date_records_a_decision_already_in_effect():
    version = online()
    withdrawal = withdraw(version, effective_on=YESTERDAY)
    assert withdrawal.effective_on == YESTERDAY
    version.refresh_from_db()
    assert not version.is_current


def test_no_version_is_published_on_or_after_the_withdrawal():
    version = online()
    draft = services.version_create_draft(procedure=version.procedure)
    withdraw(version, effective_on=TOMORROW)
    with pytest.raises(ValidationError, match="Thủ tục đã bãi bỏ"):
        services.version_publish(version=draft, effective_from=TOMORROW)
    services.version_publish(version=draft, effective_from=TODAY)  # a correction before it: allowed


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"effective_on": None}, "effective_on", "Hãy nhập ngày ngừng thực hiện."),
        ({"effective_on": LONG_AGO}, "effective_on", "phải sau ngày thủ tục bắt đầu có hiệu lực"),
        ({"effective_on": LONG_AGO - datetime.timedelta(days=9)}, "effective_on", "phải sau ngày thủ tục"),
        ({"decision_number": "  "}, "decision_number", "Hãy nhập số quyết định bãi bỏ"),
        ({"decision_number": "x" * 101}, "decision_number", "Số quyết định dài quá 100 ký tự."),
        ({"reason": ""}, "reason", "Hãy nhập lý do bãi bỏ"),
        ({"reason": "x" * 2001}, "reason", "Lý do dài quá 2.000 ký tự."),
        ({"decision_date": TOMORROW}, "decision_date", "Ngày quyết định không được sau hôm nay."),
        ({"decision_date": TODAY, "effective_on": YESTERDAY}, "decision_date", "không được sau ngày ngừng"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_changes(values, field, message):
    version = online()
    with pytest.raises(ValidationError) as exc:
        withdraw(version, **values)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not Withdrawal.objects.exists()
    version.refresh_from_db()
    assert version.is_current


def test_every_bad_field_at_once():
    version = online()
    with pytest.raises(ValidationError) as exc:
        withdraw(version, effective_on=None, decision_number="", reason="")
    assert set(exc.value.message_dict) == {"effective_on", "decision_number", "reason"}


def test_withdrawn_twice_is_refused():
    version = online()
    withdraw(version)
    with pytest.raises(ValidationError, match="đã có quyết định bãi bỏ 1234/QĐ-UBND"):
        withdraw(version, decision_number="9999/QĐ-UBND")
    assert Withdrawal.objects.get().decision_number == "1234/QĐ-UBND"


def test_a_procedure_never_published_cannot_be_withdrawn():
    draft = DraftVersionFactory()
    with pytest.raises(ValidationError, match="chưa công bố phiên bản nào"):
        withdraw(draft)


def test_a_version_published_for_after_the_date_must_come_first():
    version = online()
    draft = services.version_create_draft(procedure=version.procedure)
    services.version_publish(version=draft, effective_from=TOMORROW + datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as exc:
        withdraw(version, effective_on=TOMORROW)
    assert "ngày ngừng thực hiện phải sau ngày đó" in exc.value.message_dict["effective_on"][0]


def test_only_a_provincial_admin_withdraws():
    version = online()
    agency_admin = UserFactory(is_staff=True)
    StaffAssignmentFactory(user=agency_admin, agency=version.agency_roles.first().agency, role=StaffRole.AGENCY_ADMIN)
    for user in (agency_admin, CitizenFactory(), None):
        with pytest.raises(PermissionDenied):
            withdraw(version, user=user)
    assert not Withdrawal.objects.exists()
    provincial = UserFactory(is_staff=True)
    StaffAssignmentFactory(user=provincial, agency=version.agency_roles.first().agency, role=StaffRole.PROVINCIAL_ADMIN)
    withdraw(version, user=provincial)


# --- the admin page ---------------------------------------------------------------------------


def test_admin_withdraws_from_the_procedure_page(client):
    version = published_version(name="Đăng ký khai sinh", effective_from=LONG_AGO)
    admin = AdminFactory()
    client.force_login(admin)
    change = client.get(reverse("admin:procedures_procedureversion_change", args=[version.pk]))
    url = reverse("admin:procedures_procedure_withdraw", args=[version.procedure_id])
    assert url in change.content.decode()
    response = client.post(
        url,
        {
            "effective_on": TOMORROW.strftime("%d/%m/%Y"),
            "decision_number": "88/QĐ-UBND",
            "decision_date": TODAY.isoformat(),
            "reason": "Thủ tục được thay thế",
        },
        follow=True,
    )
    assert f"ngừng tiếp nhận hồ sơ mới từ ngày {TOMORROW:%d/%m/%Y}" in response.content.decode()
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.effective_on, withdrawal.recorded_by) == (TOMORROW, admin)


def test_admin_page_shows_bad_input_at_its_field_and_keeps_what_was_typed(client):
    version = published_version(effective_from=TODAY)
    client.force_login(AdminFactory())
    url = reverse("admin:procedures_procedure_withdraw", args=[version.procedure_id])
    response = client.post(url, {"effective_on": "31/02/2026", "decision_number": "", "reason": "Lý do rõ ràng"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày không hợp lệ (dd/mm/yyyy)." in body and "Hãy nhập số quyết định bãi bỏ" in body
    assert "Lý do rõ ràng" in body
    response = client.post(url, {"effective_on": TODAY.isoformat(), "decision_number": "1/QĐ", "reason": "x"})
    assert "phải sau ngày thủ tục bắt đầu có hiệu lực" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_an_officer_cannot_reach_the_admin_page(client):
    version = published_version()
    officer = UserFactory(is_staff=True)
    client.force_login(officer)
    url = reverse("admin:procedures_procedure_withdraw", args=[version.procedure_id])
    response = client.post(url, {"effective_on": TOMORROW.isoformat(), "decision_number": "1", "reason": "x"})
    assert response.status_code in (302, 403)
    assert not Withdrawal.objects.exists()


# --- the filing page and the API --------------------------------------------------------------


def test_the_filing_page_refuses_with_the_message(client):
    version = online()
    withdraw(version)
    citizen = CitizenFactory()
    client.force_login(citizen)
    agency = version.agency_roles.first().agency
    response = client.post(
        reverse("dossiers:start", args=[version.procedure.national_code]), {"agency": agency.pk}, follow=True
    )
    body = response.content.decode()
    assert f"Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày {TODAY:%d/%m/%Y}" in body
    from dossiers.models import Dossier

    assert not Dossier.objects.filter(owner=citizen).exists()


def test_the_api_refuses_with_the_message_on_the_day(client):
    """Recorded for today before the daily switch has run: the API finds the version and
    the filing rule refuses it with the withdrawal's message."""
    from dossiers.models import Dossier
    from tests.api.helpers import session_client

    version = online()
    Withdrawal.objects.create(
        procedure=version.procedure, effective_on=TODAY, decision_number="77/QĐ-UBND", reason="Bãi bỏ"
    )
    citizen = CitizenFactory()
    api = session_client(citizen)
    agency = version.agency_roles.first().agency
    answer = api.post(
        "/api/v1/dossiers/", {"procedure": version.procedure.national_code, "agency": agency.pk}, format="json"
    )
    assert answer.status_code == 400
    assert "đã bị bãi bỏ, ngừng thực hiện từ ngày" in str(answer.json()) and "77/QĐ-UBND" in str(answer.json())
    assert not Dossier.objects.filter(owner=citizen).exists()


def test_the_api_refuses_with_the_message_after_the_daily_switch(client):
    """Once the daily switch has run the procedure has no version in force: the API still
    says why (procedures.selectors.version_to_file), not "not found"."""
    from dossiers.models import Dossier
    from tests.api.helpers import session_client

    version = online()
    withdraw(version)
    version.refresh_from_db()
    assert not version.is_current
    citizen = CitizenFactory()
    api = session_client(citizen)
    agency = version.agency_roles.first().agency
    answer = api.post(
        "/api/v1/dossiers/", {"procedure": version.procedure.national_code, "agency": agency.pk}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["procedure"][0].startswith("Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày")
    unknown = api.post("/api/v1/dossiers/", {"procedure": "9.999999", "agency": agency.pk}, format="json")
    assert unknown.status_code == 400 and unknown.json()["procedure"] == ["Không tìm thấy thủ tục."]
    assert not Dossier.objects.filter(owner=citizen).exists()


def test_the_filing_page_says_it_at_once_after_the_daily_switch(client):
    version = online()
    withdraw(version)
    client.force_login(CitizenFactory())
    response = client.get(reverse("dossiers:start", args=[version.procedure.national_code]), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == version.procedure.get_absolute_url()
    assert "Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày" in response.content.decode()


def test_the_counter_refuses_a_withdrawn_procedure_with_the_message():
    from dossiers import processing
    from tests.dossiers.staff import agency_staff

    staff = agency_staff()
    version = online()
    from procedures.models import ProcedureAgency

    ProcedureAgency.objects.filter(version=version).update(agency=staff.agency)
    withdraw(version, effective_on=TOMORROW)  # scheduled: the counter still takes it today
    version.refresh_from_db()
    citizen = {"national_id": "038187066666", "full_name": "Hà Văn Nam"}
    processing.intake_start(officer=staff.desk, agency=staff.agency, version=version, case=None, citizen=citizen)
    Withdrawal.objects.filter(procedure=version.procedure).update(effective_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        processing.intake_start(officer=staff.desk, agency=staff.agency, version=version, case=None, citizen=citizen)
    assert exc.value.message_dict["procedure"][0].startswith("Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày")
