"""The agency admin's officer pages (/quan-tri-don-vi/): their agency's officers, new accounts
with roles, roles given and taken, an officer leaving; never another agency's officer, never
the admin roles, never their own roles; every bad input said at its field, nothing lost."""

import pytest

from accounts.constants import AccountKind, StaffRole
from accounts.models import StaffAssignment, User
from tests.dossiers.staff import agency_staff
from tests.factories import AdminFactory, AgencyFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "chuyenvien2.stp",
    "full_name": "  Lê   Văn Mới ",
    "email": "levanmoi@stp.thanhhoa.gov.vn",
    "phone": "0912 345 679",
    "roles": [StaffRole.SPECIALIST],
    "department": "Phòng Hành chính tư pháp",
    "password1": "Canbo@Moi2026",
}


def _url(agency, tail=""):
    return f"/quan-tri-don-vi/{agency.pk}/can-bo/{tail}"


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff.admin)
    return client


def test_the_agency_admin_lands_on_their_agency_and_sees_its_officers_only(admin_client, staff):
    other = agency_staff()
    response = admin_client.get("/quan-tri-don-vi/")
    assert response.status_code == 302 and response["Location"] == _url(staff.agency)
    page = admin_client.get(_url(staff.agency)).content.decode()
    for officer in (staff.desk, staff.specialist, staff.leader, staff.admin):
        assert officer.username in page
    assert other.desk.username not in page
    assert 'href="/quan-tri-don-vi/"' in admin_client.get("/").content.decode()  # the header's link


def test_the_header_link_and_the_pages_are_for_admins_only(client, staff):
    for user in (staff.desk, staff.specialist, staff.leader):
        client.force_login(user)
        assert 'href="/quan-tri-don-vi/"' not in client.get("/").content.decode()
        assert client.get("/quan-tri-don-vi/").status_code == 403
        assert client.get(_url(staff.agency)).status_code == 404


def test_the_agency_admin_creates_an_officer_with_a_role_who_can_log_in(admin_client, client, staff):
    response = admin_client.post(_url(staff.agency, "them/"), GOOD)
    assert response.status_code == 302, response.content.decode()
    officer = User.objects.get(username="chuyenvien2.stp")
    assert officer.kind == AccountKind.OFFICER and officer.full_name == "Lê Văn Mới"
    assert officer.phone == "0912345679" and not officer.is_staff and not officer.is_superuser
    assert list(officer.assignments.values_list("agency_id", "role", "department", "active")) == [
        (staff.agency.pk, StaffRole.SPECIALIST, "Phòng Hành chính tư pháp", True)
    ]
    assert officer.check_password("Canbo@Moi2026")
    client.logout()
    assert client.post("/dang-nhap/", {"username": "chuyenvien2.stp", "password": "Canbo@Moi2026"}).status_code == 302


def test_bad_input_is_said_at_each_field_and_kept(admin_client, staff):
    taken = UserFactory(username="dadung.stp", email="trung@stp.gov.vn")
    bad = {
        "username": "Chuyên Viên",
        "full_name": "",
        "email": "khong-phai-email",
        "phone": "12345",
        "roles": [StaffRole.DEPARTMENT_LEADER],
        "department": "",
        "password1": "123",
    }
    response = admin_client.post(_url(staff.agency, "them/"), bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"username", "full_name", "email", "phone", "department", "password1"}
    assert "Tên đăng nhập gồm" in form.errors["username"][0]
    assert "Vui lòng nhập thông tin này." in form.errors["full_name"]
    assert "Địa chỉ email không hợp lệ" in form.errors["email"][0]
    assert "Chuyên viên xử lý và lãnh đạo phòng cần có phòng, ban." in form.errors["department"]
    page = response.content.decode()
    assert 'value="Chuyên Viên"' in page and 'value="khong-phai-email"' in page and 'value="12345"' in page
    assert 'id="id_username_error"' in page
    # Taken name and e-mail, no role: said at those fields, the rest kept.
    response = admin_client.post(
        _url(staff.agency, "them/"), {**GOOD, "username": taken.username, "email": taken.email, "roles": []}
    )
    errors = response.context["form"].errors
    assert "đã có người dùng" in errors["username"][0]
    assert "đã được dùng" in errors["email"][0]
    assert errors["roles"] == ["Chọn ít nhất một vai trò."]
    assert 'value="Phòng Hành chính tư pháp"' in response.content.decode()
    assert not User.objects.filter(username="chuyenvien2.stp").exists()


def test_the_agency_admin_cannot_give_the_admin_roles(admin_client, staff):
    for role in (StaffRole.AGENCY_ADMIN, StaffRole.PROVINCIAL_ADMIN):
        response = admin_client.post(_url(staff.agency, "them/"), {**GOOD, "roles": [role]})
        assert response.status_code == 200
        assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username=GOOD["username"]).exists()
    page = admin_client.get(_url(staff.agency, "them/")).content.decode()
    assert StaffRole.AGENCY_ADMIN.value not in page and StaffRole.PROVINCIAL_ADMIN.value not in page


def test_an_agency_field_in_the_form_is_ignored(admin_client, staff):
    other = AgencyFactory()
    response = admin_client.post(_url(staff.agency, "them/"), {**GOOD, "agency": other.pk, "agency_id": other.pk})
    assert response.status_code == 302
    assert set(User.objects.get(username=GOOD["username"]).assignments.values_list("agency_id", flat=True)) == {
        staff.agency.pk
    }


def test_another_agencys_officers_and_pages_are_not_found(admin_client, staff):
    other = agency_staff()
    for url in (
        _url(other.agency),
        _url(other.agency, "them/"),
        _url(other.agency, f"{other.desk.pk}/"),
        f"/quan-tri-don-vi/{other.agency.pk}/thu-tuc/",
        f"/quan-tri-don-vi/{other.agency.pk}/ngay-nghi/",
        _url(staff.agency, f"{other.desk.pk}/"),  # the other agency's officer under my agency
    ):
        assert admin_client.get(url).status_code == 404, url
    for url in (
        _url(other.agency, "them/"),
        _url(staff.agency, f"{other.desk.pk}/"),
        _url(staff.agency, f"{other.desk.pk}/ngung/"),
        _url(other.agency, f"{other.desk.pk}/ngung/"),
    ):
        assert admin_client.post(url, {**GOOD, "roles": [StaffRole.SPECIALIST]}).status_code == 404, url
    assert other.desk.assignments.get().active and User.objects.get(pk=other.desk.pk).is_active


def test_roles_are_given_and_taken_and_an_officer_leaves_and_comes_back(admin_client, staff):
    url = _url(staff.agency, f"{staff.desk.pk}/")
    page = admin_client.get(url).content.decode()
    assert 'value="Trần Thị Mai"' in page
    response = admin_client.post(
        url,
        {
            "full_name": "Trần Thị Mai",
            "email": "mai@stp.gov.vn",
            "phone": "",
            "roles": [StaffRole.SPECIALIST, StaffRole.DEPARTMENT_LEADER],
            "department": "Phòng Hộ tịch",
        },
    )
    assert response.status_code == 302
    rows = {a.role: (a.active, a.department) for a in StaffAssignment.objects.filter(user=staff.desk)}
    assert rows == {
        StaffRole.ONE_STOP_OFFICER: (False, "Bộ phận Một cửa"),
        StaffRole.SPECIALIST: (True, "Phòng Hộ tịch"),
        StaffRole.DEPARTMENT_LEADER: (True, "Phòng Hộ tịch"),
    }

    assert admin_client.post(url + "ngung/").status_code == 302
    officer = User.objects.get(pk=staff.desk.pk)
    assert not officer.is_active and not officer.assignments.filter(active=True).exists()
    assert "Đã khóa tài khoản" in admin_client.get(_url(staff.agency)).content.decode()

    # Given a role again: working and able to log in again.
    admin_client.post(
        url,
        {"full_name": "Trần Thị Mai", "email": "mai@stp.gov.vn", "roles": [StaffRole.ONE_STOP_OFFICER]},
    )
    officer.refresh_from_db()
    assert officer.is_active and officer.assignments.filter(active=True).count() == 1


def test_leaving_one_agency_keeps_the_account_of_an_officer_who_serves_another(client, staff):
    province_admin = AdminFactory()
    client.force_login(province_admin)
    both = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=both, agency=staff.agency, role=StaffRole.SPECIALIST, department="Phòng A")
    StaffAssignmentFactory(user=both, agency=AgencyFactory(), role=StaffRole.SPECIALIST, department="Phòng B")
    assert client.post(_url(staff.agency, f"{both.pk}/ngung/")).status_code == 302
    both.refresh_from_db()
    assert both.is_active and both.assignments.filter(active=True).count() == 1


def test_bad_input_when_editing_is_said_at_the_field(admin_client, staff):
    response = admin_client.post(
        _url(staff.agency, f"{staff.specialist.pk}/"),
        {"full_name": "Phạm Văn Đức", "email": "", "phone": "abc", "roles": [StaffRole.SPECIALIST]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "phone", "department"}
    assert errors["email"] == ["Vui lòng nhập email công vụ của cán bộ."]
    assert 'value="abc"' in response.content.decode()
    assert StaffAssignment.objects.get(user=staff.specialist).active


def test_nobody_changes_their_own_roles_nor_another_admins(admin_client, staff):
    second_admin = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=second_admin, agency=staff.agency, role=StaffRole.AGENCY_ADMIN)
    for target in (staff.admin, second_admin):
        url = _url(staff.agency, f"{target.pk}/")
        page = admin_client.get(url)
        assert page.status_code == 200 and '<form method="post" class="account-form"' not in page.content.decode()
        data = {"full_name": "X", "email": "x@stp.gov.vn", "roles": [StaffRole.AGENCY_LEADER]}
        assert admin_client.post(url, data).status_code == 403
        assert admin_client.post(url + "ngung/").status_code == 403
    assert StaffAssignment.objects.get(user=staff.admin).active
    assert not StaffAssignment.objects.filter(user=staff.admin, role=StaffRole.AGENCY_LEADER).exists()
    assert StaffAssignment.objects.get(user=second_admin).active


def test_the_provincial_admin_administers_every_agency_and_gives_the_agency_admin_role(client, staff):
    province_admin = AdminFactory()
    StaffAssignmentFactory(user=province_admin, agency=AgencyFactory(), role=StaffRole.PROVINCIAL_ADMIN)
    client.force_login(province_admin)
    page = client.get("/quan-tri-don-vi/").content.decode()
    assert staff.agency.name in page
    response = client.post(
        _url(staff.agency, "them/"),
        {**GOOD, "roles": [StaffRole.AGENCY_ADMIN], "department": "Văn phòng"},
    )
    assert response.status_code == 302
    assert User.objects.get(username=GOOD["username"]).assignments.get().role == StaffRole.AGENCY_ADMIN
    response = client.post(_url(staff.agency, "them/"), {**GOOD, "username": "x.y", "roles": ["provincial_admin"]})
    assert "roles" in response.context["form"].errors
