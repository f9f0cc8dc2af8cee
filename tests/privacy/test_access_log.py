"""The personal-data access log: every door an officer or admin sees a citizen's data
through writes exactly one record with the right fields; a citizen's own look writes
none; the log cannot be changed; the citizen sees who opened their dossier."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.constants import AccountKind, StaffRole
from printing.models import FormKind, IssuedForm
from privacy.constants import AccessChannel, AccessKind
from privacy.models import PersonalDataAccess
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import AdminFactory, CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture
def staff():
    return agency_staff()


def officer_client(user) -> Client:
    client = Client(REMOTE_ADDR=IP, HTTP_X_REQUEST_ID="req-abc-123")
    client.force_login(user)
    return client


def only_record() -> PersonalDataAccess:
    rows = list(PersonalDataAccess.objects.all())
    assert len(rows) == 1, [(r.kind, r.path) for r in rows]
    return rows[0]


def test_officer_dossier_page_writes_one_record_with_every_field(staff):
    dossier = dossier_at(staff, "received")
    before = timezone.now()
    response = officer_client(staff.specialist).get(reverse("desk:dossier", args=[dossier.code]))
    assert response.status_code == 200
    row = only_record()
    assert row.officer_id == staff.specialist.pk
    assert row.role == StaffRole.SPECIALIST
    assert row.agency_id == staff.agency.pk
    assert row.subject_id == dossier.owner_id
    assert row.dossier_id == dossier.pk and row.dossier_code == dossier.code
    assert row.kind == AccessKind.DOSSIER and row.channel == AccessChannel.WEB
    assert row.path == f"/can-bo/ho-so/{dossier.code}/"
    assert row.ip == IP and row.request_id == "req-abc-123"
    assert before <= row.at <= timezone.now()


def test_a_junk_client_address_or_request_id_is_not_stored_as_is(staff):
    dossier = dossier_at(staff, "received")
    client = Client(REMOTE_ADDR="not-an-ip", HTTP_X_REQUEST_ID="x\n" + "y" * 200)
    client.force_login(staff.desk)
    assert client.get(reverse("desk:dossier", args=[dossier.code])).status_code == 200
    row = only_record()
    assert row.ip is None
    assert "\n" not in row.request_id and len(row.request_id) == 64


def test_the_owners_own_pages_and_files_are_not_logged(staff):
    dossier = dossier_at(staff, "received")
    owner = Client()
    owner.force_login(dossier.owner)
    assert owner.get(reverse("dossiers:detail", args=[dossier.public_id])).status_code == 200
    item = dossier.documents.exclude(stored_file=None).first().stored_file
    assert owner.get(reverse("dossiers:file", args=[item.public_id])).status_code == 200
    assert PersonalDataAccess.objects.count() == 0


def test_a_refused_officer_writes_nothing(staff):
    dossier = dossier_at(staff, "received")
    stranger = agency_staff().desk
    assert officer_client(stranger).get(reverse("desk:dossier", args=[dossier.code])).status_code == 404
    item = dossier.documents.exclude(stored_file=None).first().stored_file
    assert officer_client(stranger).get(reverse("dossiers:file", args=[item.public_id])).status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_queue_list_and_searches_log_the_query_and_the_rows_shown_not_each_row(staff):
    first = dossier_at(staff, "submitted")
    dossier_at(staff, "submitted")
    client = officer_client(staff.desk)
    assert client.get("/can-bo/", {"hang": "tat-ca"}).status_code == 200
    listed = only_record()
    assert listed.kind == AccessKind.LIST and listed.result_count == 2 and listed.detail == "tat-ca"
    assert listed.subject_id is None and listed.dossier_id is None
    assert listed.role == StaffRole.ONE_STOP_OFFICER and listed.agency_id == staff.agency.pk

    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get("/can-bo/", {"hang": "cho-tiep-nhan", "kenh": "2"}).status_code == 200
    filtered = only_record()
    assert filtered.kind == AccessKind.SEARCH and filtered.result_count == 2
    assert filtered.detail == "cho-tiep-nhan: kenh=2"
    assert first.pk  # both dossiers listed, one record for the page


def test_search_by_name_and_by_id_number(staff):
    first = dossier_at(staff, "submitted", citizen=CitizenFactory(full_name="Lò Thị Xuân"))
    dossier_at(staff, "submitted")
    client = officer_client(staff.desk)
    assert client.get("/can-bo/", {"hang": "tat-ca", "q": first.applicant_id_number}).status_code == 200
    assert client.get("/can-bo/", {"hang": "tat-ca", "q": "Lò Thị Xuân", "trang": "1"}).status_code == 200
    by_id, by_name = PersonalDataAccess.objects.order_by("pk")
    assert by_id.kind == AccessKind.SEARCH and by_id.result_count == 1
    assert by_id.detail == f"tat-ca: q={first.applicant_id_number}"
    assert by_name.kind == AccessKind.SEARCH and by_name.result_count == 1 and "q=Lò Thị Xuân" in by_name.detail


def test_queue_filters_with_junk_show_nothing_and_log_nothing(staff):
    dossier_at(staff, "submitted")
    response = officer_client(staff.desk).get("/can-bo/", {"hang": "tat-ca", "kenh": "'; drop", "tu": "99/99/x"})
    assert response.status_code == 400
    assert PersonalDataAccess.objects.count() == 0


def test_files_and_full_size_photos_are_logged_thumbnails_are_not(staff):
    from dossiers import services
    from dossiers.models import DocumentPage
    from tests.dossiers import files

    dossier = dossier_at(staff, "received")
    item = dossier.documents.exclude(stored_file=None).first().stored_file
    client = officer_client(staff.desk)
    response = client.get(reverse("dossiers:file", args=[item.public_id]))
    assert response.status_code == 200
    row = only_record()
    assert row.kind == AccessKind.FILE and row.detail == item.title
    assert row.subject_id == item.owner_id and row.dossier_id == dossier.pk

    # A dossier with photo pages (the citizen's upload), received by the desk.
    citizen = CitizenFactory()
    draft = services.dossier_start(user=citizen, version=dossier.procedure_version, agency=staff.agency)
    services.dossier_save_draft(dossier=draft, actor=citizen, applicant={}, answers={"noi_dung": "x"})
    doc = services.required_documents_for(draft)[0]
    services.document_add_files(dossier=draft, required_document=doc, files=[files.photo()], actor=citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    page = DocumentPage.objects.get(document__dossier=draft)
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get(reverse("dossiers:page_image", args=[page.public_id, "nho"])).status_code == 200
    assert PersonalDataAccess.objects.count() == 0
    assert client.get(reverse("dossiers:page_image", args=[page.public_id, "lon"])).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.FILE and row.dossier_id == draft.pk and row.detail == "Ảnh trang 1"


def test_generated_forms_are_logged_for_officers_not_for_the_owner(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")
    form = IssuedForm.objects.get(dossier=dossier, kind=FormKind.RECEIPT)
    owner = Client()
    owner.force_login(dossier.owner)
    assert owner.get(reverse("printing:issued_form", args=[form.public_id])).status_code == 200
    assert PersonalDataAccess.objects.count() == 0
    client = officer_client(staff.leader)
    assert client.get(reverse("printing:issued_form", args=[form.public_id])).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.FORM and row.role == StaffRole.AGENCY_LEADER
    assert row.detail == FormKind.RECEIPT.label and row.subject_id == dossier.owner_id
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get(reverse("printing:control_sheet", args=[dossier.code])).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.FORM and row.detail == FormKind.CONTROL_SHEET.label


def test_tracking_book_export_is_logged_with_its_agency(staff):
    dossier_at(staff, "received")
    today = timezone.localdate()
    params = {
        "agency": staff.agency.pk,
        "date_from": (today - datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
        "date_to": today.strftime("%d/%m/%Y"),
        "format": "xlsx",
    }
    client = officer_client(staff.desk)
    assert client.get("/can-bo/so-theo-doi/").status_code == 200  # the form alone: nothing seen
    assert PersonalDataAccess.objects.count() == 0
    assert client.get("/can-bo/so-theo-doi/", {**params, "date_to": "31/02/2026"}).status_code == 200
    assert PersonalDataAccess.objects.count() == 0  # refused at the field: nothing exported
    response = client.get("/can-bo/so-theo-doi/", params)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    row = only_record()
    assert row.kind == AccessKind.EXPORT and row.agency_id == staff.agency.pk
    assert row.role == StaffRole.ONE_STOP_OFFICER and "Mẫu 07" in row.detail and row.detail.endswith(".xlsx")


def test_counter_look_up_by_id_number_is_logged_with_the_citizen_found(staff):
    citizen = CitizenFactory()
    client = officer_client(staff.desk)
    assert client.get("/can-bo/tiep-nhan/", {"so-dinh-danh": citizen.national_id}).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.SEARCH and row.subject_id == citizen.pk and row.result_count == 1
    assert citizen.national_id in row.detail
    assert client.get("/can-bo/tiep-nhan/", {"so-dinh-danh": "12ab"}).status_code == 200
    assert PersonalDataAccess.objects.filter(result_count=0, subject=None).count() == 1


def test_api_dossier_and_queue_are_logged_as_api(staff):
    dossier = dossier_at(staff, "received")
    api = APIClient(REMOTE_ADDR=IP)
    api.force_authenticate(staff.desk)
    assert api.get(f"/api/v1/desk/dossiers/{dossier.code}/").status_code == 200
    row = only_record()
    assert row.kind == AccessKind.DOSSIER and row.channel == AccessChannel.API and row.dossier_id == dossier.pk
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert api.get("/api/v1/desk/queues/tat-ca/", {"q": dossier.applicant_name, "page": 1}).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.SEARCH and row.channel == AccessChannel.API and row.result_count == 1
    assert row.detail == f"tat-ca: q={dossier.applicant_name}"
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert api.get("/api/v1/desk/queues/tat-ca/", {"channel": "junk"}).status_code == 400
    assert api.get("/api/v1/desk/queues/", {}).status_code == 200  # counts only: no personal data
    assert PersonalDataAccess.objects.count() == 0


def test_admin_change_pages_and_searches_are_logged(staff):
    dossier = dossier_at(staff, "received")
    admin = AdminFactory()
    client = officer_client(admin)
    assert client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.DOSSIER and row.channel == AccessChannel.ADMIN
    assert row.dossier_id == dossier.pk and row.subject_id == dossier.owner_id and row.role == "superuser"
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get(reverse("admin:accounts_user_change", args=[dossier.owner_id])).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.ACCOUNT and row.subject_id == dossier.owner_id and row.dossier_id is None
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert PersonalDataAccess.objects.count() == 0  # a plain list: not a search
    assert client.get(reverse("admin:accounts_user_changelist"), {"q": dossier.owner.national_id}).status_code == 200
    row = only_record()
    assert row.kind == AccessKind.SEARCH and row.result_count == 1 and dossier.owner.national_id in row.detail
    PersonalDataAccess.objects.all()._raw_delete(connection.alias)
    assert client.get(reverse("admin:accounts_user_change", args=[admin.pk])).status_code == 200
    assert PersonalDataAccess.objects.count() == 0  # one's own account


# --- the log itself ---------------------------------------------------------------------------


def _records(staff, n_dossiers=2):
    dossiers = [dossier_at(staff, "received") for _ in range(n_dossiers)]
    for d in dossiers:
        officer_client(staff.desk).get(reverse("desk:dossier", args=[d.code]))
    return dossiers


def provincial_admin():
    user = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=user, role=StaffRole.PROVINCIAL_ADMIN)
    return user


def test_records_cannot_be_changed_or_deleted_in_the_model_or_the_database(staff):
    _records(staff, 1)
    row = PersonalDataAccess.objects.get()
    row.detail = "đã sửa"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            PersonalDataAccess.objects.filter(pk=row.pk).update(detail="đã sửa")
    assert PersonalDataAccess.objects.get().detail == ""


def test_admin_log_is_read_only_and_for_provincial_admins_only(staff):
    _records(staff, 1)
    row = PersonalDataAccess.objects.get()
    reader = Client()
    reader.force_login(provincial_admin())
    changelist = reverse("admin:privacy_personaldataaccess_changelist")
    assert reader.get(changelist).status_code == 200
    change = reader.get(reverse("admin:privacy_personaldataaccess_change", args=[row.pk]))
    assert change.status_code == 200 and b'type="submit"' not in change.content.split(b'id="content-main"')[1]
    assert (
        reader.post(reverse("admin:privacy_personaldataaccess_change", args=[row.pk]), {"detail": "x"}).status_code
        == 403
    )
    assert (
        reader.post(reverse("admin:privacy_personaldataaccess_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert reader.get(reverse("admin:privacy_personaldataaccess_add")).status_code == 403
    response = reader.post(
        changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}, follow=True
    )
    assert PersonalDataAccess.objects.filter(pk=row.pk, detail="").exists()
    assert response.status_code == 200
    # An agency admin let into the Django admin does not read the log (refused, or sent
    # to the login page).
    agency_admin = staff.admin
    agency_admin.is_staff = True
    agency_admin.save()
    other = Client()
    other.force_login(agency_admin)
    refused = other.get(changelist)
    assert refused.status_code in (302, 403)
    assert staff.desk.username.encode() not in refused.content


def test_admin_filters_by_officer_citizen_and_dossier_and_junk_finds_nothing(staff):
    first, second = _records(staff, 2)
    officer_client(staff.specialist).get(reverse("desk:dossier", args=[first.code]))
    reader = Client()
    reader.force_login(provincial_admin())
    url = reverse("admin:privacy_personaldataaccess_changelist")

    def shown(**params) -> set[int]:
        response = reader.get(url, params)
        assert response.status_code == 200, params
        return {r.pk for r in response.context["cl"].result_list}

    every = set(PersonalDataAccess.objects.values_list("pk", flat=True))
    assert len(every) == 3 and shown() == every
    assert shown(can_bo=staff.specialist.username) == set(
        PersonalDataAccess.objects.filter(officer=staff.specialist).values_list("pk", flat=True)
    )
    assert shown(cong_dan=first.owner.national_id) == set(
        PersonalDataAccess.objects.filter(subject=first.owner).values_list("pk", flat=True)
    )
    assert len(shown(cong_dan=first.owner.national_id)) == 2
    assert shown(ho_so=second.code.lower()) == set(
        PersonalDataAccess.objects.filter(dossier=second).values_list("pk", flat=True)
    )
    for junk in ("' OR 1=1 --", "<script>", "x" * 5000, "%"):
        assert shown(can_bo=junk) == set()
        assert shown(ho_so=junk) == set()
        assert shown(cong_dan=junk) == set()
    for name in ("can_bo", "ho_so", "cong_dan"):  # a NUL is refused before the page (portal.characters)
        assert reader.get(url, {name: "\x00"}).status_code == 400
    assert shown(kind="no-such-kind") == set()


def test_the_citizen_sees_who_opened_only_their_own_dossier(staff):
    mine, theirs = _records(staff, 2)
    officer_client(staff.specialist).get(
        reverse("dossiers:file", args=[theirs.documents.exclude(stored_file=None).first().stored_file.public_id])
    )
    owner = Client()
    owner.force_login(mine.owner)
    page = owner.get(reverse("dossiers:detail", args=[mine.public_id])).content.decode()
    section = page.split('id="accesses"')[1].split("</details>")[0]
    assert staff.agency.name in section and str(StaffRole.ONE_STOP_OFFICER.label) in section
    assert section.count("<tr>") == 2  # the header and the one access to this dossier
    assert staff.desk.full_name not in section  # agency and role, not the officer's name
    assert str(StaffRole.SPECIALIST.label) not in section  # the other dossier's file


def test_citizen_with_no_access_yet_is_told_so(staff):
    dossier = dossier_at(staff, "received")
    owner = Client()
    owner.force_login(dossier.owner)
    page = owner.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
    assert "Chưa có cán bộ nào xem hồ sơ." in page
