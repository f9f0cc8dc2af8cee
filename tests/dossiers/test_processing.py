"""Counter and post intake (tiếp nhận hồ sơ giấy), the citizen's account made at the
counter, and the office-time arithmetic behind the deadlines (vietnam-domain.md §7.3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AccountActivation, User
from accounts.services import ACTIVATION_ALPHABET, account_activate
from dossiers import deadlines, processing, services
from dossiers.constants import Channel, ResultDelivery, Status
from dossiers.models import Dossier, PostalIntake, StatusChange
from dossiers.selectors import dossiers_of
from dossiers.workflow import TransitionError, apology_deadline
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.dossiers.workflow_support import at, local
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_ID = "038187012345"  # Thanh Hóa, a woman born in 1987
WALK_IN = {"national_id": NEW_ID, "full_name": "Lê Thị Hồng", "phone": "0912345678", "address": "Thôn 5, xã Quảng Tâm"}
# The fee collected before receipt (thu trước), taken at the counter with its receipt.
PAID = {"method": "cash", "receipt_number": "BL-0001"}


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def version(staff):
    return version_for(staff.agency)


def start(staff, version, citizen=None, channel=Channel.COUNTER, officer=None):
    return processing.intake_start(
        officer=officer or staff.desk,
        agency=staff.agency,
        version=version,
        case=None,
        citizen=citizen or WALK_IN,
        channel=channel,
    )


def fill(dossier, officer):
    """What the desk officer types and scans from the paper dossier."""
    services.dossier_save_draft(dossier=dossier, actor=officer, applicant={}, answers={"noi_dung": "Cấp bản sao"})
    for doc in services.required_documents_for(dossier):
        if doc.required:
            services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=officer)


# --- intake_start: the citizen's account ---------------------------------------------------------


def test_new_citizen_gets_an_account_without_password_and_an_activation_code(staff, version):
    dossier, code = start(staff, version)
    user = User.objects.get(national_id=NEW_ID)
    assert not user.has_usable_password()
    assert (user.username, user.full_name, user.phone, user.address) == (
        NEW_ID,
        "Lê Thị Hồng",
        "0912345678",
        "Thôn 5, xã Quảng Tâm",
    )
    assert len(code) == 8 and set(code) <= set(ACTIVATION_ALPHABET)
    assert (dossier.status, dossier.channel, dossier.owner, dossier.counter_officer, dossier.code) == (
        Status.DRAFT,
        Channel.COUNTER,
        user,
        staff.desk,
        None,
    )
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Lê Thị Hồng", NEW_ID)
    activation = AccountActivation.objects.get(user=user)
    assert code not in activation.code_hash  # only the hash is kept
    assert activation.expires_at > timezone.now() + datetime.timedelta(days=59)


def test_activation_code_sets_the_password_once(staff, version):
    _, code = start(staff, version)
    # Read aloud at the counter: lower case, spaces and dashes are fine.
    typed = f"{code[:4].lower()}-{code[4:]} "
    user = account_activate(national_id=NEW_ID, code=typed, password="MatKhau@2026")
    assert user.check_password("MatKhau@2026")
    assert AccountActivation.objects.get(user=user).used_at is not None
    with pytest.raises(ValidationError) as exc:
        account_activate(national_id=NEW_ID, code=code, password="KhacHan@2026")
    assert list(exc.value.message_dict) == ["code"]
    user.refresh_from_db()
    assert user.check_password("MatKhau@2026") and not user.check_password("KhacHan@2026")


@pytest.mark.parametrize("mistake", ["wrong code", "wrong id", "expired", "no id"])
def test_activation_refused(staff, version, mistake):
    _, code = start(staff, version)
    wrong = "A" * 8 if code != "A" * 8 else "B" * 8
    national_id, typed = {
        "wrong code": (NEW_ID, wrong),
        "wrong id": ("038187099999", code),
        "expired": (NEW_ID, code),
        "no id": ("", code),
    }[mistake]
    if mistake == "expired":
        AccountActivation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        account_activate(national_id=national_id, code=typed, password="MatKhau@2026")
    assert list(exc.value.message_dict) == ["code"]
    assert "mã kích hoạt" in exc.value.message_dict["code"][0]
    assert not User.objects.get(national_id=NEW_ID).has_usable_password()


def test_existing_citizen_is_found_by_id_number(staff, version):
    citizen = CitizenFactory(full_name="Nguyễn Văn An")
    dossier, code = start(
        staff, version, citizen={"national_id": f" {citizen.national_id} ", "full_name": "Nguyen Van An"}
    )
    assert code == ""
    assert dossier.owner == citizen
    assert User.objects.filter(national_id=citizen.national_id).count() == 1
    citizen.refresh_from_db()
    assert citizen.check_password("Matkhau@2026") and citizen.full_name == "Nguyễn Văn An"
    assert not AccountActivation.objects.filter(user=citizen).exists()


@pytest.mark.parametrize("national_id", ["", "12345", "03818701234a", "0381870123456", "999187012345"])
def test_bad_id_number(staff, version, national_id):
    with pytest.raises(ValidationError) as exc:
        start(staff, version, citizen={**WALK_IN, "national_id": national_id})
    assert list(exc.value.message_dict) == ["national_id"]
    assert not Dossier.objects.exists() and not User.objects.filter(full_name="Lê Thị Hồng").exists()


def test_name_is_required(staff, version):
    with pytest.raises(ValidationError) as exc:
        start(staff, version, citizen={**WALK_IN, "full_name": "  "})
    assert list(exc.value.message_dict) == ["full_name"]


@pytest.mark.parametrize("who", ["specialist", "leader", "admin", "other_agency_desk", "inactive_desk", "citizen"])
def test_only_a_desk_officer_of_the_agency_opens_a_paper_dossier(staff, version, who):
    if who == "other_agency_desk":
        officer = agency_staff().desk
    elif who == "inactive_desk":
        officer = UserFactory(kind="officer")
        StaffAssignmentFactory(user=officer, agency=staff.agency, role="one_stop_officer", active=False)
    elif who == "citizen":
        officer = CitizenFactory()
    else:
        officer = getattr(staff, who)
    with pytest.raises(PermissionDenied):
        start(staff, version, officer=officer)
    assert not Dossier.objects.exists()
    assert not User.objects.filter(national_id=NEW_ID).exists()


def test_online_is_not_a_paper_channel(staff, version):
    with pytest.raises(ValidationError):
        start(staff, version, channel=Channel.ONLINE)


# --- intake_complete ------------------------------------------------------------------------------

RECEIVED = at(2023, 10, 26, 8, 0)  # Thursday


def test_missing_documents_and_answers_are_listed(staff, version):
    dossier, _ = start(staff, version)
    with pytest.raises(ValidationError) as exc:
        processing.intake_complete(fee=PAID, dossier=dossier, officer=staff.desk, now=RECEIVED)
    required = [d for d in services.required_documents_for(dossier) if d.required]
    assert set(exc.value.message_dict) == {"f_noi_dung"} | {f"doc_{d.pk}" for d in required}
    dossier.refresh_from_db()
    assert (dossier.status, dossier.code) == (Status.DRAFT, None)
    assert not StatusChange.objects.filter(dossier=dossier).exists()


def test_counter_intake_receives_at_once_and_the_citizen_finds_it(staff, version):
    dossier, code = start(staff, version)
    fill(dossier, staff.desk)
    done = processing.intake_complete(fee=PAID, dossier=dossier, officer=staff.desk, now=RECEIVED)
    assert done.status == Status.RECEIVED
    assert done.code.startswith(staff.agency.code + "-")
    assert (done.submitted_at, done.received_at) == (RECEIVED, RECEIVED)
    # 5 working days from Thu 26/10 08:00 -> Thu 02/11 08:00.
    assert local(done.due_at) == datetime.datetime(2023, 11, 2, 8, 0)
    history = list(StatusChange.objects.filter(dossier=done).order_by("pk"))
    assert [(h.action, h.from_status, h.to_status, h.actor) for h in history] == [
        ("intake", Status.DRAFT, Status.SUBMITTED, staff.desk),
        ("receive", Status.SUBMITTED, Status.RECEIVED, staff.desk),
    ]
    citizen = account_activate(national_id=NEW_ID, code=code, password="MatKhau@2026")
    assert list(dossiers_of(citizen)) == [done]


def test_intake_complete_twice_is_refused_and_keeps_the_code(staff, version):
    dossier, _ = start(staff, version)
    fill(dossier, staff.desk)
    done = processing.intake_complete(fee=PAID, dossier=dossier, officer=staff.desk, now=RECEIVED)
    with pytest.raises(TransitionError):
        processing.intake_complete(fee=PAID, dossier=dossier, officer=staff.desk, now=RECEIVED)
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.code, again.status) == (done.code, Status.RECEIVED)
    assert StatusChange.objects.filter(dossier=dossier).count() == 2


def test_only_the_officer_who_opened_it_completes_it(staff, version):
    dossier, _ = start(staff, version)
    fill(dossier, staff.desk)
    colleague = UserFactory(kind="officer")
    StaffAssignmentFactory(user=colleague, agency=staff.agency, role="one_stop_officer")
    for officer in (colleague, staff.leader):
        with pytest.raises(PermissionDenied):
            processing.intake_complete(fee=PAID, dossier=dossier, officer=officer, now=RECEIVED)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    ("delivery", "address", "field"),
    [("pigeon", "", "result_delivery"), (ResultDelivery.POST, "  ", "delivery_address")],
)
def test_result_delivery_choice(staff, version, delivery, address, field):
    dossier, _ = start(staff, version)
    fill(dossier, staff.desk)
    with pytest.raises(ValidationError) as exc:
        processing.intake_complete(
            fee=PAID,
            dossier=dossier,
            officer=staff.desk,
            result_delivery=delivery,
            delivery_address=address,
            now=RECEIVED,
        )
    assert list(exc.value.message_dict) == [field]


# --- by post (bưu chính công ích) -----------------------------------------------------------------

POST_NOW = at(2023, 10, 27, 16, 0)  # Friday, after the 15:00 cut-off
HANDED = at(2023, 10, 26, 9, 32)  # Thursday: the hand-over record was signed then
GOOD_POSTAL = {
    "record_number": "BB-2023/1027",
    "tracking_number": "EL123456789VN",
    "postal_fee": "25.000",
    "handed_over_at": HANDED,
    "postal_worker": "Trịnh Văn Bưu",
}


@pytest.fixture
def by_post(staff, version):
    dossier, _ = start(staff, version, channel=Channel.POST)
    fill(dossier, staff.desk)
    return dossier


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"record_number": ""}, {"record_number"}),
        ({"tracking_number": "  "}, {"tracking_number"}),
        ({"record_number": None, "tracking_number": None}, {"record_number", "tracking_number"}),
        ({"handed_over_at": POST_NOW + datetime.timedelta(minutes=1)}, {"handed_over_at"}),
        ({"handed_over_at": POST_NOW - datetime.timedelta(days=30, minutes=1)}, {"handed_over_at"}),
        ({"handed_over_at": "26/10/2023 09:32"}, {"handed_over_at"}),
        ({"handed_over_at": None}, {"handed_over_at"}),
        ({"postal_fee": "hai mươi nghìn"}, {"postal_fee"}),
        ({"postal_fee": "10.000.001"}, {"postal_fee"}),
    ],
)
def test_post_hand_over_record_is_checked(staff, by_post, changes, fields):
    with pytest.raises(ValidationError) as exc:
        processing.intake_complete(
            fee=PAID, dossier=by_post, officer=staff.desk, postal={**GOOD_POSTAL, **changes}, now=POST_NOW
        )
    assert set(exc.value.message_dict) == fields
    by_post.refresh_from_db()
    assert (by_post.status, by_post.code) == (Status.DRAFT, None)
    assert not PostalIntake.objects.exists()


def test_post_without_any_record(staff, by_post):
    with pytest.raises(ValidationError) as exc:
        processing.intake_complete(fee=PAID, dossier=by_post, officer=staff.desk, now=POST_NOW)
    assert {"record_number", "tracking_number", "handed_over_at"} <= set(exc.value.message_dict)


def test_post_hand_over_time_is_when_the_clock_starts(staff, by_post):
    done = processing.intake_complete(fee=PAID, dossier=by_post, officer=staff.desk, postal=GOOD_POSTAL, now=POST_NOW)
    assert done.status == Status.RECEIVED
    # The citizen filed when the post office signed the record: that is the submission date
    # the citizen, the officer and the reports see (it once showed the day of the intake).
    assert done.received_at == HANDED and done.submitted_at == HANDED
    intake = StatusChange.objects.filter(dossier=done, action="intake").get()
    assert intake.at == POST_NOW  # the officer's step is recorded when it was taken
    # From Thu 26/10 09:32 (not from Fri 16:00, which would count from Mon 30/10 07:00 and
    # fall due Fri 03/11 17:00): 5 working days -> Thu 02/11 09:32.
    assert local(done.due_at) == datetime.datetime(2023, 11, 2, 9, 32)
    record = PostalIntake.objects.get(dossier=done)
    assert (record.record_number, record.tracking_number, record.postal_fee, record.handed_over_at) == (
        "BB-2023/1027",
        "EL123456789VN",
        25000,
        HANDED,
    )
    receive = StatusChange.objects.filter(dossier=done, action="receive").get()
    assert receive.step_deadline == done.due_at
    assert done in dossiers_of(done.owner)


def test_post_hand_over_exactly_30_days_ago_is_accepted(staff, by_post):
    handed = POST_NOW - datetime.timedelta(days=30)
    done = processing.intake_complete(
        fee=PAID, dossier=by_post, officer=staff.desk, postal={**GOOD_POSTAL, "handed_over_at": handed}, now=POST_NOW
    )
    assert done.received_at == handed


# --- office time backwards, and the apology deadline -------------------------------------------


@pytest.fixture
def seeded():
    deadlines.calendar_seed(years=[2024, 2025])


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # Back over lunch: Tue 04/03/2025 14:00 - 1 h -> 30 min after lunch, 30 min before: 11:00.
        ((2025, 3, 4, 14, 0), 60, (2025, 3, 4, 11, 0)),
        ((2025, 3, 4, 13, 30), 30, (2025, 3, 4, 11, 0)),
        ((2025, 3, 4, 12, 15), 30, (2025, 3, 4, 11, 0)),  # from lunch time: from 11:30
        # Back over a weekend: Mon 03/03/2025 08:00 - 2 h -> Fri 28/02 16:00.
        ((2025, 3, 3, 8, 0), 120, (2025, 2, 28, 16, 0)),
        ((2025, 3, 1, 10, 0), 60, (2025, 2, 28, 16, 0)),  # from a Saturday
        ((2025, 3, 3, 6, 0), 60, (2025, 2, 28, 16, 0)),  # before opening
        # One whole working day.
        ((2025, 3, 4, 10, 0), 480, (2025, 3, 3, 10, 0)),
        # Back over Tết 2024 (08–14/02): Thu 15/02 08:00 - 2 h -> Wed 07/02 16:00.
        ((2024, 2, 15, 8, 0), 120, (2024, 2, 7, 16, 0)),
        # Back over 30/04–01/05/2024 and the swapped Monday 29/04; Saturday 04/05 is worked:
        # Mon 06/05 08:00 - 2 h -> 1 h on Mon, 1 h on Sat 04/05 -> 16:00.
        ((2024, 5, 6, 8, 0), 120, (2024, 5, 4, 16, 0)),
        # Thu 02/05/2024 08:00 - 2 h -> 1 h on Thu, then Fri 26/04 (29/04–01/05 off, 27/04 a Saturday): 16:00.
        ((2024, 5, 2, 8, 0), 120, (2024, 4, 26, 16, 0)),
    ],
)
def test_add_office_minutes_backwards(seeded, start, minutes, expected):
    moment = deadlines.add_office_minutes(start=at(*start), minutes=-minutes)
    assert local(moment) == datetime.datetime(*expected)
    assert timezone.is_aware(moment)


@pytest.mark.parametrize("minutes", [1, 30, 90, 150, 480, 1000, 2400])
def test_backwards_then_forwards_comes_back(seeded, minutes):
    start = at(2025, 3, 5, 10, 17)  # Wednesday, inside office hours
    back = deadlines.add_office_minutes(start=start, minutes=-minutes)
    assert deadlines.add_office_minutes(start=back, minutes=minutes) == start
    calendar = deadlines.WorkCalendar.load()
    assert calendar.working_minutes_between(local(back), local(start)) == minutes


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ((2023, 11, 3, 9, 32), {(2023, 11, 2, 9, 32)}),  # Friday -> Thursday, same time
        ((2023, 11, 6, 8, 0), {(2023, 11, 3, 8, 0)}),  # Monday -> the Friday before
        # Due at closing time: one working day before is the previous closing time, which
        # is the same office moment as this morning's opening.
        ((2023, 11, 3, 17, 0), {(2023, 11, 2, 17, 0), (2023, 11, 3, 7, 0)}),
        ((2024, 2, 19, 10, 0), {(2024, 2, 16, 10, 0)}),  # Monday after Tết -> Friday 16/02
        ((2024, 2, 15, 10, 0), {(2024, 2, 7, 10, 0)}),  # first day after Tết -> Wednesday before it
    ],
)
def test_apology_deadline_is_one_working_day_before_the_due_date(seeded, due, expected):
    deadline = apology_deadline(at(*due))
    assert local(deadline) in {datetime.datetime(*e) for e in expected}
