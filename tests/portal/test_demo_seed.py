"""The demo province (``seed_demo``), its banner and the benchmark catalog generator."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.constants import AccountKind, StaffRole
from accounts.identity import validate_personal_id
from accounts.models import StaffAssignment, User
from portal.demo import DEMO_PASSWORD
from portal.demo.users import CITIZENS
from procedures import services
from procedures.models import Agency, Procedure, ProcedureVersion
from procedures.selectors import CatalogFilters, catalog_search

NAMED = [
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
    "Cấp đổi giấy phép lái xe",
    "Đăng ký khai sinh",
    "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV",
    "Đăng ký thành lập hộ kinh doanh",
    "Thông báo thực hiện khuyến mại",
    "Cấp giấy phép lao động cho người nước ngoài làm việc tại Việt Nam",
    "Cấp phù hiệu xe taxi",
    "Chứng thực bản sao từ bản chính",
    "Đăng ký kết hôn",
    "Đăng ký khai tử",
]


def _current(name_start: str) -> ProcedureVersion:
    current = ProcedureVersion.objects.filter(is_current=True)
    exact = current.filter(name=name_start).first()
    return exact or current.get(name__startswith=name_start)


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_loads_a_realistic_province_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Dữ liệu mẫu đã sẵn sàng" in out.getvalue()
    totals = (Agency.objects.count(), Procedure.objects.count(), ProcedureVersion.objects.count(), User.objects.count())

    from dossiers.constants import Status
    from dossiers.models import Dossier

    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(Status.values), "a demo dossier in every status"
    assert all(d.history.exists() for d in Dossier.objects.exclude(status=Status.DRAFT))
    # A licence signed twice waits for the director's signature; no result was handed over
    # unpaid (the demo desk took the fees at the counter, with a receipt number).
    from dossiers.constants import Step
    from payments.selectors import outstanding

    assert Dossier.objects.filter(step=Step.SIGNING, procedure_version__approval_chain="both").exists()
    assert all(outstanding(d) is None for d in Dossier.objects.filter(status=Status.RETURNED))
    dossiers = Dossier.objects.count()

    call_command("seed_demo", stdout=StringIO())
    again = (Agency.objects.count(), Procedure.objects.count(), ProcedureVersion.objects.count(), User.objects.count())
    assert again == totals
    assert Dossier.objects.count() == dossiers

    current = ProcedureVersion.objects.filter(is_current=True)
    assert current.count() >= 300
    for name in NAMED:
        assert current.filter(name__startswith=name).exists(), name

    levels = Counter(current.values_list("max_service_level", flat=True))
    total = sum(levels.values())
    assert (levels[1] + levels[2]) / total > 0.5
    assert 0.25 <= levels[3] / total <= 0.45
    assert 0.02 <= levels[4] / total <= 0.08
    named_levels = [_current(name).max_service_level for name in NAMED[:3]]
    assert min(named_levels) >= 3 and named_levels.count(4) >= 2

    for version in current.prefetch_related("form_fields"):
        assert services.version_missing_parts(version) == [], version.name
        if version.max_service_level >= 3:
            assert version.channel_online and 1 <= version.form_fields.count() <= 4, version.name

    khai_sinh = _current("Đăng ký khai sinh")
    assert khai_sinh.procedure.national_code == "1.001193"
    assert [f.kind for f in khai_sinh.form_fields.all()] == ["text", "date", "choice", "text"]
    assert khai_sinh.agency_roles.count() >= 30  # every commune and ward
    lltp = _current("Cấp Phiếu lý lịch tư pháp cho công dân")
    assert lltp.cases.count() == 2
    assert lltp.form_fields.get(kind="choice").choice_list == ["Phiếu số 1", "Phiếu số 2"]
    history = Procedure.objects.filter(versions__number=2).distinct()
    assert history.count() >= 4
    assert current.filter(procedure__in=history, number=2).count() == history.count()

    closed = Agency.objects.filter(effective_to__isnull=False)
    assert closed.count() >= 2 and all(a.successor_id for a in closed)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_users_cover_every_role():
    call_command("seed_demo", stdout=StringIO())
    admin = User.objects.get(username="quantri.tinh")
    assert admin.is_staff and admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    for agency_name in ("Sở Tư pháp", "Ủy ban nhân dân phường Hạc Thành"):
        roles = set(StaffAssignment.objects.filter(agency__name=agency_name).values_list("role", flat=True))
        assert roles >= {
            StaffRole.AGENCY_ADMIN,
            StaffRole.ONE_STOP_OFFICER,
            StaffRole.SPECIALIST,
            StaffRole.DEPARTMENT_LEADER,
            StaffRole.AGENCY_LEADER,
        }, agency_name
    assert StaffAssignment.objects.filter(role=StaffRole.PROVINCIAL_ADMIN, user=admin).exists()
    assert all(a.user.is_staff for a in StaffAssignment.objects.select_related("user"))

    citizens = User.objects.filter(kind=AccountKind.CITIZEN)
    assert citizens.count() == len(CITIZENS) >= 2
    for citizen in citizens:
        assert citizen.username == citizen.national_id
        validate_personal_id(citizen.national_id, date_of_birth=citizen.date_of_birth)
        assert citizen.phone and citizen.email
    business = User.objects.get(kind=AccountKind.BUSINESS)
    assert business.username == business.tax_code and len(business.tax_code) == 10
    assert business.organisation_name

    banner = StringIO()
    call_command("demo_banner", url="http://127.0.0.1:8000/", stdout=banner)
    text = banner.getvalue()
    assert "http://127.0.0.1:8000/" in text and DEMO_PASSWORD in text
    for user in User.objects.all():
        assert user.username in text


@pytest.mark.django_db
def test_generate_catalog_creates_searchable_published_versions():
    out = StringIO()
    call_command("generate_catalog", count=50, seed=1, stdout=out)
    generated = ProcedureVersion.objects.filter(procedure__national_code__startswith="3.")
    assert generated.count() == 50
    assert generated.filter(is_current=True, status="published").count() == 50
    found, _ = catalog_search(CatalogFilters())
    assert found.filter(procedure__national_code__startswith="3.").count() == 50
    for version in generated[:10]:
        assert version.max_service_level == version.service_level
        assert services.version_missing_parts(version) == []
        results, _ = catalog_search(CatalogFilters(q=version.procedure.national_code))
        assert version in results
        results, _ = catalog_search(CatalogFilters(q=version.name))
        assert version in results

    call_command("generate_catalog", count=50, seed=1, stdout=StringIO())
    assert generated.count() == 50
