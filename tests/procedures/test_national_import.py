"""Importing the national procedure database's JSON package (procedures.national_import)."""

import copy
import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from procedures import services
from procedures.constants import AgencyRole, FeeKind, ServiceLevel, Tier, TimeUnit, VersionStatus
from procedures.models import Case, Fee, Field, LegalBasis, Procedure, ProcedureVersion, RequiredDocument
from procedures.national_import import (
    NationalImportError,
    NationalPackageError,
    RowError,
    national_package_import,
    national_package_load,
    parse_vnd,
)
from tests.factories import AdminFactory, AgencyFactory, published_version

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "national_package_sample.json"
KHAI_SINH_TIME = (
    "Ngay trong ngày tiếp nhận yêu cầu, trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay "
    "thì trả kết quả trong ngày làm việc tiếp theo."
)


@pytest.fixture
def package() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def agencies() -> dict:
    """The agencies the sample package names, as they are in the province's agency list."""
    return {
        "xa": AgencyFactory(code="000.27.30.H56", name="Ủy ban nhân dân xã Quảng Phú", tier=Tier.COMMUNE),
        "tu_phap": AgencyFactory(code="000.00.11.H56", name="Sở Tư pháp"),
        "ton_giao": AgencyFactory(code="000.00.38.H26", name="Sở Dân tộc và Tôn giáo"),
        "ubnd": AgencyFactory(code="000.00.00.H26", name="Ủy ban nhân dân Thành phố Hà Nội"),
    }


def draft_of(code: str) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__national_code=code, status=VersionStatus.DRAFT)


def write_package(tmp_path: Path, content, name: str = "goi_tin.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


# --- a first import -------------------------------------------------------------------------------------


def test_import_creates_drafts_with_every_part(agencies, package):
    report = national_package_import(records=package)

    assert (report.created, report.updated, report.unchanged, report.published) == (3, 0, 0, 0)
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 3

    v = draft_of("1.001193")
    assert v.number == 1
    assert v.name == "Thủ tục đăng ký khai sinh"
    assert v.description.startswith("Đăng ký khai sinh cho trẻ em")
    assert v.keywords == "khai sinh, giấy khai sinh, hộ tịch"
    assert (v.at_ministry, v.at_province, v.at_district, v.at_commune) == (False, False, False, True)
    assert [f.name for f in v.fields.all()] == ["Hộ tịch"]
    assert Field.objects.get(code="HOTICH").slug == "ho-tich"
    assert v.step_list == [
        "Bước 1: Người có yêu cầu nộp hồ sơ tại Ủy ban nhân dân cấp xã hoặc nộp trực tuyến.",
        "Bước 2: Công chức tư pháp – hộ tịch kiểm tra hồ sơ, ghi vào Sổ đăng ký khai sinh.",
        "Bước 3: Chủ tịch Ủy ban nhân dân cấp xã cấp Giấy khai sinh cho người được đăng ký khai sinh.",
    ]
    assert (v.channel_counter, v.channel_online, v.channel_post) == (True, True, True)
    assert v.service_level == ServiceLevel.PARTIAL  # no MUCDO, but an online channel
    assert v.time_limit is None
    assert v.time_limit_unit == TimeUnit.WORKING_DAYS
    assert v.time_limit_note == KHAI_SINH_TIME
    assert v.time_limit_display() == KHAI_SINH_TIME

    # The same two fee lines on three channels are stored once each.
    fees = {f.kind: f for f in v.fees.all()}
    assert len(fees) == 2 and v.fees.count() == 2
    assert fees[FeeKind.LEVY].amount == 8000
    assert "miễn lệ phí" in fees[FeeKind.LEVY].description
    assert fees[FeeKind.CHARGE].amount == 8000
    assert fees[FeeKind.CHARGE].name == "Phí (Đồng/bản sao)"
    assert v.fee_note == ""

    assert not v.cases.exists()
    docs = list(v.documents.all())
    assert [d.code for d in docs] == ["GT-01", "GT-02", "GT-03"]
    assert docs[0].form_name == "TK đăng ký khai sinh.doc"
    assert docs[0].form_url.startswith("https://csdl.dichvucong.gov.vn/")
    assert (docs[0].originals, docs[0].copies) == (1, 0)
    assert not docs[0].replaceable_by_lookup
    assert docs[2].replacing_result_code == "KQ.CSDLDC"
    assert docs[2].replaceable_by_lookup

    assert v.applicants == "Công dân Việt Nam\nNgười Việt Nam định cư ở nước ngoài"
    assert (v.for_individuals, v.for_organisations) == (True, False)
    assert v.results == "Giấy khai sinh (bản chính)"
    assert v.conditions == "Không"
    assert v.receiving_address == "Bộ phận Một cửa Ủy ban nhân dân cấp xã"
    assert v.decision_number == "1535/QĐ-UBND"

    laws = list(v.legal_bases.order_by("issued_on"))
    assert [law.number for law in laws] == ["60/2014/QH13", "123/2015/NĐ-CP"]
    assert laws[0].issued_on == datetime.date(2014, 11, 20)
    assert laws[0].effective_on == datetime.date(2016, 1, 1)
    assert laws[0].issuer == "Quốc hội"
    assert laws[0].url.startswith("https://vbpl.vn/")
    assert laws[1].issued_on == datetime.date(2015, 11, 15)  # ISO dates too
    assert laws[1].effective_on == datetime.date(2016, 1, 1)

    role = v.agency_roles.get()
    assert (role.agency, role.role) == (agencies["xa"], AgencyRole.IMPLEMENTING)
    assert v.raw_national_record == package[0]
    assert services.version_missing_parts(v) == []


def test_import_reads_levels_free_fees_and_organisations(agencies, package):
    national_package_import(records=package)

    v = draft_of("1.012644")
    assert v.service_level == ServiceLevel.FULL  # local extension MUCDO
    assert v.max_service_level == ServiceLevel.FULL
    assert (v.channel_counter, v.channel_online, v.channel_post) == (True, True, True)
    assert v.time_limit == Decimal("30")
    assert v.time_limit_unit == TimeUnit.WORKING_DAYS
    assert v.time_limit_note == "Kể từ ngày nhận đủ hồ sơ hợp lệ."
    assert not v.fees.exists()  # "Không" is no fee line …
    assert v.fee_note == "Phí: Không\nLệ phí: Không"  # … but it is noted
    assert (v.for_individuals, v.for_organisations) == (False, True)
    assert v.at_province and not v.at_commune
    assert v.documents.count() == 4
    assert v.documents.get(name__startswith="Bản sao quyết định").copies == 1
    assert v.legal_bases.count() == 3
    assert set(v.agency_roles.values_list("agency__code", "role")) == {
        ("000.00.38.H26", AgencyRole.IMPLEMENTING),
        ("000.00.00.H26", AgencyRole.COMPETENT),
    }
    assert v.decision_number == "1535/QĐ-TTPVHCC"


def test_import_creates_cases_with_their_own_documents(agencies, package):
    report = national_package_import(records=package)

    v = draft_of("2.000635")
    cases = list(v.cases.all())
    assert [c.name for c in cases] == ["Trường hợp cá nhân yêu cầu", "Trường hợp cơ quan, tổ chức yêu cầu"]
    assert [d.name for d in cases[0].documents.all()] == [
        "Tờ khai cấp bản sao trích lục hộ tịch theo mẫu",
        "Giấy tờ tùy thân của người yêu cầu (xuất trình)",
    ]
    assert [d.code for d in cases[1].documents.all()] == ["GT-21"]
    assert v.step_list[0] == "Trường hợp cá nhân yêu cầu:"
    assert "Trường hợp cơ quan, tổ chức yêu cầu:" in v.step_list
    assert v.at_province and v.at_commune
    assert (v.for_individuals, v.for_organisations) == (True, True)
    assert v.time_limit == Decimal("1")
    fee = v.fees.get()
    assert (fee.kind, fee.amount) == (FeeKind.CHARGE, 8000)
    # Both procedures in the field "Hộ tịch" share one Field row.
    assert Field.objects.filter(code="HOTICH").count() == 1
    assert set(v.agency_roles.values_list("agency__code", flat=True)) == {"000.00.11.H56", "000.27.30.H56"}
    # A relative form link is not a URL: dropped, with a warning.
    form = cases[0].documents.get(code="GT-11")
    assert form.form_url == ""
    assert form.form_name == "TK cấp bản sao trích lục hộ tịch.doc"
    assert any("2.000635" in w and "URL" in w for w in report.warnings)


def test_import_into_an_existing_procedure_opens_a_draft_and_keeps_the_published_version(agencies, package):
    first = published_version(procedure__national_code="1.001193", name="Đăng ký khai sinh (cũ)")
    fees_before = list(first.fees.values_list("kind", "amount"))

    report = national_package_import(records=package[:1])

    assert (report.created, report.updated) == (0, 1)
    draft = draft_of("1.001193")
    assert draft.number == first.number + 1
    assert draft.based_on_id == first.pk
    assert draft.name == "Thủ tục đăng ký khai sinh"
    assert draft.fees.count() == 2
    assert draft.documents.count() == 3
    first.refresh_from_db()
    assert first.status == VersionStatus.PUBLISHED and first.is_current
    assert first.name == "Đăng ký khai sinh (cũ)"
    assert list(first.fees.values_list("kind", "amount")) == fees_before
    assert first.documents.count() == 1


# --- publishing -------------------------------------------------------------------------------------------


def test_publish_flag_publishes_every_imported_draft(agencies, package):
    admin = AdminFactory()
    day = datetime.date(2025, 7, 1)

    report = national_package_import(records=package, publish=True, effective_from=day, user=admin)

    assert (report.created, report.published) == (3, 3)
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()
    for v in ProcedureVersion.objects.all():
        assert v.status == VersionStatus.PUBLISHED
        assert v.effective_from == day
        assert v.is_current
        assert v.published_by == admin
    assert ProcedureVersion.objects.get(procedure__national_code="1.012644").max_service_level == 4


def test_publish_failure_rolls_everything_back_and_names_the_record(package):
    # Only the agencies of the first record exist: the other two cannot be published.
    AgencyFactory(code="000.27.30.H56", name="Ủy ban nhân dân xã Quảng Phú", tier=Tier.COMMUNE)

    with pytest.raises(NationalImportError) as exc:
        national_package_import(records=package, publish=True)

    errors = exc.value.errors
    assert [(e.index, e.code) for e in errors] == [(2, "1.012644")]
    assert "Không công bố được" in errors[0].message
    assert "cơ quan thực hiện" in errors[0].message
    # The warnings that explain why come with the error.
    assert any("000.00.38.H26" in w for w in exc.value.warnings)
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()
    assert not Field.objects.exists()


def test_channels_with_their_own_time_limits_and_fees(package):
    record = copy.deepcopy(package[2])
    levy = {"MAPHILEPHI": "2", "SOTIEN": "10000", "DONVI": "Đồng", "MOTA": "Lệ phí"}
    reduced = {"MAPHILEPHI": "2", "SOTIEN": 7000, "DONVI": "Đồng", "MOTA": "Lệ phí (giảm 30% khi nộp trực tuyến)"}
    record["CACHTHUCTHUCHIEN"] = [
        {"KENH": "2", "THOIGIAN": [{"THOIGIANGIAIQUYET": "4", "DONVITINH": "Giờ làm việc", "PHILEPHI": [reduced]}]},
        {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": "8", "DONVITINH": "Giờ", "MOTA": "", "PHILEPHI": [levy]}]},
        {"KENH": "3", "THOIGIAN": [{"THOIGIANGIAIQUYET": "8", "DONVITINH": "giờ", "PHILEPHI": [levy]}]},
        {"KENH": "9", "THOIGIAN": []},
    ]
    record.pop("MUCDO", None)

    report = national_package_import(records=[record])

    v = draft_of("2.000635")
    assert (v.time_limit, v.time_limit_unit) == (Decimal("8"), TimeUnit.HOURS)
    assert v.time_limit_note == "Nộp trực tuyến: 4 giờ làm việc."
    assert (v.channel_counter, v.channel_online, v.channel_post) == (True, True, True)
    fees = {f.amount: f for f in v.fees.all()}
    assert set(fees) == {10000, 7000}
    assert fees[7000].description == "Áp dụng khi nộp trực tuyến. Lệ phí (giảm 30% khi nộp trực tuyến)"
    assert fees[10000].description.startswith("Áp dụng khi nộp trực tiếp, nộp qua dịch vụ bưu chính công ích.")
    assert all(f.kind == FeeKind.LEVY for f in fees.values())
    assert any("CACHTHUCTHUCHIEN[4].KENH" in w for w in report.warnings)


def test_unknown_time_unit_goes_to_the_note(package):
    record = copy.deepcopy(package[1])
    for channel in record["CACHTHUCTHUCHIEN"]:
        channel["THOIGIAN"][0].update(THOIGIANGIAIQUYET="2", DONVITINH="Tháng")

    report = national_package_import(records=[record])

    v = draft_of("1.012644")
    assert v.time_limit is None
    assert v.time_limit_note == "2 Tháng\nKể từ ngày nhận đủ hồ sơ hợp lệ."
    assert any("DONVITINH" in w and "Tháng" in w for w in report.warnings)


# --- idempotency ------------------------------------------------------------------------------------------


def test_second_import_of_the_same_package_changes_nothing(agencies, package):
    national_package_import(records=package)
    before = list(ProcedureVersion.objects.order_by("pk").values_list("pk", "number", "updated_at"))
    counts = (RequiredDocument.objects.count(), Fee.objects.count(), Case.objects.count(), LegalBasis.objects.count())

    report = national_package_import(records=copy.deepcopy(package))

    assert (report.created, report.updated, report.unchanged, report.published) == (0, 0, 3, 0)
    assert sorted(report.unchanged_codes) == ["1.001193", "1.012644", "2.000635"]
    after = list(ProcedureVersion.objects.order_by("pk").values_list("pk", "number", "updated_at"))
    assert after == before
    assert counts == (
        RequiredDocument.objects.count(),
        Fee.objects.count(),
        Case.objects.count(),
        LegalBasis.objects.count(),
    )


def test_second_published_import_opens_no_new_draft(agencies, package):
    day = datetime.date(2025, 7, 1)
    national_package_import(records=package, publish=True, effective_from=day)

    # Keys in another order are still the same record.
    reordered = [dict(reversed(list(record.items()))) for record in package]
    report = national_package_import(records=reordered, publish=True, effective_from=day)

    assert (report.created, report.updated, report.unchanged, report.published) == (0, 0, 3, 0)
    assert ProcedureVersion.objects.count() == 3
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_unchanged_draft_is_published_when_asked(agencies, package):
    national_package_import(records=package)

    report = national_package_import(records=package, publish=True, effective_from=datetime.date(2025, 7, 1))

    assert (report.unchanged, report.published) == (3, 3)
    assert ProcedureVersion.objects.count() == 3
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_changed_record_opens_a_new_draft_and_leaves_the_published_version(agencies, package):
    national_package_import(records=package, publish=True, effective_from=datetime.date(2025, 7, 1))
    published = ProcedureVersion.objects.get(procedure__national_code="1.001193")

    changed = copy.deepcopy(package)
    changed[0]["TENTTHC"] = "Thủ tục đăng ký khai sinh (sửa đổi)"
    for channel in changed[0]["CACHTHUCTHUCHIEN"]:
        channel["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = "10.000 đồng"
    report = national_package_import(records=changed)

    assert (report.created, report.updated, report.unchanged, report.published) == (0, 1, 2, 0)
    assert report.updated_codes == ["1.001193"]
    draft = draft_of("1.001193")
    assert draft.number == 2
    assert draft.based_on_id == published.pk
    assert draft.name == "Thủ tục đăng ký khai sinh (sửa đổi)"
    assert draft.fees.get(kind=FeeKind.LEVY).amount == 10000
    assert draft.raw_national_record == changed[0]

    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED and published.is_current
    assert published.name == "Thủ tục đăng ký khai sinh"
    assert published.fees.get(kind=FeeKind.LEVY).amount == 8000
    assert published.raw_national_record == package[0]
    # The other two procedures got no draft.
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 1

    # Importing the changed package again touches nothing: the draft holds it already.
    again = national_package_import(records=copy.deepcopy(changed))
    assert (again.updated, again.unchanged) == (0, 3)
    assert ProcedureVersion.objects.count() == 4


def test_reimport_keeps_uploaded_form_files_and_agency_levels(agencies, package):
    national_package_import(records=package[:1], publish=True, effective_from=datetime.date(2025, 7, 1))
    draft = services.version_create_draft(procedure=Procedure.objects.get(national_code="1.001193"))
    draft.documents.filter(code="GT-01").update(form_file="catalog/forms/1.001193/v2/to-khai-khai-sinh.docx")
    draft.agency_roles.update(service_level=ServiceLevel.FULL)

    changed = copy.deepcopy(package[:1])
    changed[0]["THANHPHANHOSO"][0]["GIAYTO"][0]["TENGIAYTO"] = "Tờ khai đăng ký khai sinh (mẫu mới)"
    report = national_package_import(records=changed)

    assert report.updated == 1
    draft = draft_of("1.001193")
    doc = draft.documents.get(code="GT-01")
    assert doc.name == "Tờ khai đăng ký khai sinh (mẫu mới)"
    assert doc.form_file.name == "catalog/forms/1.001193/v2/to-khai-khai-sinh.docx"
    assert draft.agency_roles.get().service_level == ServiceLevel.FULL


# --- all or nothing ---------------------------------------------------------------------------------------


def test_one_bad_record_and_nothing_is_saved(agencies, package):
    bad_name = copy.deepcopy(package[0])
    bad_name["MATTHC"] = "1.000656"
    bad_name["TENTTHC"] = "  "
    bad_code = copy.deepcopy(package[1])
    bad_code["MATTHC"] = "1001193"
    bad_fee = copy.deepcopy(package[2])
    bad_fee["MATTHC"] = "2.000908"
    bad_fee["CACHTHUCTHUCHIEN"][1]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = "-5.000 đồng"
    bad_fee["CAPTHUCHIEN"] = [{"CAPTHUCHIEN": "7", "TENCAP": "Cấp thôn"}]
    records = [package[0], bad_name, package[1], bad_code, bad_fee, package[2]]

    with pytest.raises(NationalImportError) as exc:
        national_package_import(records=records)

    found = {(e.index, e.code, e.field) for e in exc.value.errors}
    assert found == {
        (2, "1.000656", "TENTTHC"),
        (4, "", "MATTHC"),
        (5, "2.000908", "CAPTHUCHIEN[1].CAPTHUCHIEN"),
        (5, "2.000908", "CACHTHUCTHUCHIEN[2].THOIGIAN[1].PHILEPHI[1].SOTIEN"),
    }
    messages = {e.field: e.message for e in exc.value.errors}
    assert messages["TENTTHC"] == "Thiếu tên thủ tục."
    assert "không đúng dạng d.dddddd" in messages["MATTHC"]
    assert str(exc.value.errors[0]) == "Bản ghi 2 (1.000656) – TENTTHC: Thiếu tên thủ tục."
    assert "chưa có dữ liệu nào được lưu" in str(exc.value)
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()
    assert not Field.objects.exists()


def test_bad_package_leaves_existing_drafts_untouched(agencies, package):
    national_package_import(records=package)
    changed = copy.deepcopy(package)
    changed[0]["TENTTHC"] = "Tên mới"
    changed[1]["MATTHC"] = ""

    with pytest.raises(NationalImportError):
        national_package_import(records=changed)

    assert draft_of("1.001193").name == "Thủ tục đăng ký khai sinh"
    assert ProcedureVersion.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda r: r.pop("MATTHC"), "MATTHC", "Thiếu mã thủ tục."),
        (lambda r: r.update(TENTTHC="Thủ tục " * 70), "TENTTHC", "Tên thủ tục dài quá 500 ký tự"),
        (lambda r: r.pop("CAPTHUCHIEN"), "CAPTHUCHIEN", "Thiếu cấp thực hiện."),
        (lambda r: r.update(MUCDO="5"), "MUCDO", "Mức độ phải là 1, 2, 3 hoặc 4"),
        (
            lambda r: r["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0].update(SOTIEN="20.000.000.000 đồng"),
            "CACHTHUCTHUCHIEN[1].THOIGIAN[1].PHILEPHI[1].SOTIEN",
            "vượt quá 10 tỷ đồng",
        ),
        (
            lambda r: r["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(THOIGIANGIAIQUYET="năm ngày"),
            "CACHTHUCTHUCHIEN[1].THOIGIAN[1].THOIGIANGIAIQUYET",
            "phải là một số",
        ),
        (
            lambda r: r["CANCUPHAPLY"][0].update(NGAYBANHANH="31/02/2014"),
            "CANCUPHAPLY[1].NGAYBANHANH",
            "không hợp lệ",
        ),
        (
            lambda r: r["THANHPHANHOSO"][0]["GIAYTO"][0].update(SOBANCHINH="nhiều"),
            "THANHPHANHOSO[1].GIAYTO[1].SOBANCHINH",
            "phải là số nguyên",
        ),
        (lambda r: r.update(LINHVUCTHUCHIEN="Hộ tịch"), "LINHVUCTHUCHIEN", "Phải là một danh sách"),
    ],
)
def test_each_kind_of_bad_field_is_reported(package, change, field, message):
    record = copy.deepcopy(package[0])
    change(record)

    with pytest.raises(NationalImportError) as exc:
        national_package_import(records=[record])

    assert [(e.index, e.field) for e in exc.value.errors] == [(1, field)]
    assert message in exc.value.errors[0].message
    assert not Procedure.objects.exists()


def test_duplicate_codes_and_records_that_are_not_objects(package):
    with pytest.raises(NationalImportError) as exc:
        national_package_import(records=[package[0], "1.001193", copy.deepcopy(package[0])])

    errors = exc.value.errors
    assert errors[0] == RowError(2, "", "", "Bản ghi phải là một đối tượng JSON (dạng {…}).")
    assert (errors[1].index, errors[1].code, errors[1].field) == (3, "1.001193", "MATTHC")
    assert "trùng với bản ghi 1" in errors[1].message
    assert not Procedure.objects.exists()


# --- warnings -----------------------------------------------------------------------------------------------


def test_unknown_agency_is_only_a_warning(package):
    AgencyFactory(code="000.00.38.H26", name="Sở Dân tộc và Tôn giáo")

    report = national_package_import(records=package)

    assert report.created == 3
    assert not draft_of("1.001193").agency_roles.exists()
    assert list(draft_of("1.012644").agency_roles.values_list("agency__code", flat=True)) == ["000.00.38.H26"]
    unknown = [w for w in report.warnings if "chưa có trong danh mục cơ quan" in w]
    assert any(w.startswith("Bản ghi 1 (1.001193)") and "000.27.30.H56" in w for w in unknown)
    assert any("000.00.00.H26" in w and "cơ quan có thẩm quyền" in w for w in unknown)
    assert not any("000.00.38.H26" in w for w in unknown)


# --- parsing helpers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("8.000 đồng", 8000),
        ("8.000đ", 8000),
        ("8.000 Đồng/bản sao", 8000),
        ("1.500.000 VNĐ", 1_500_000),
        ("100000", 100_000),
        ("50 000 đ", 50_000),
        ("8000.00", 8000),
        (8000, 8000),
        (8000.0, 8000),
        ("Không", 0),
        ("Miễn lệ phí", 0),
        ("", 0),
        (None, 0),
    ],
)
def test_parse_vnd_reads_amounts(value, amount):
    assert parse_vnd(value) == amount


@pytest.mark.parametrize("value", ["-5.000", "1,5 triệu", "Thu theo quy định", 12.5, -1, 10_000_000_001, True])
def test_parse_vnd_refuses_other_values(value):
    with pytest.raises(ValueError):
        parse_vnd(value)


@pytest.mark.parametrize(
    "content",
    [
        {"data": "RECORDS"},
        {"result": "RECORDS"},
        {"Items": "RECORDS"},
        {"status": 200, "result": {"data": "RECORDS"}},
    ],
)
def test_load_accepts_wrapped_lists(package, content):
    content = json.loads(json.dumps(content).replace('"RECORDS"', json.dumps(package, ensure_ascii=False)))
    raw = json.dumps(content, ensure_ascii=False).encode("utf-8")
    assert national_package_load(raw) == package


def test_load_accepts_a_single_record_and_a_utf8_bom(package):
    raw = "\ufeff".encode() + json.dumps(package[0], ensure_ascii=False).encode("utf-8")
    assert national_package_load(raw) == [package[0]]
    assert national_package_load(SAMPLE) == package


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "trống"),
        (b"   \n", "trống"),
        (b"[{]", "không phải JSON hợp lệ"),
        (b"42", "phải là một danh sách"),
        (b'{"ok": true}', "phải là một danh sách"),
        (b"[]", "không có bản ghi"),
        ('[{"TENTTHC": "Đăng"}]'.encode("cp1258"), "UTF-8"),
    ],
)
def test_load_refuses_broken_packages(raw, message):
    with pytest.raises(NationalPackageError, match=message):
        national_package_load(raw)


# --- the management command ---------------------------------------------------------------------------------


def test_command_imports_and_prints_a_vietnamese_summary(agencies):
    out = StringIO()

    call_command("import_national_catalog", str(SAMPLE), stdout=out)

    text = out.getvalue()
    assert "Đã xử lý 3 bản ghi: tạo mới 3, cập nhật 0, không thay đổi 0, đã công bố 0" in text
    assert "Cảnh báo – Bản ghi 3 (2.000635)" in text  # the relative form link
    assert "bản nháp" in text
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 3

    again = StringIO()
    call_command("import_national_catalog", str(SAMPLE), stdout=again)
    assert "tạo mới 0, cập nhật 0, không thay đổi 3" in again.getvalue()


def test_command_publishes_with_an_effective_date(agencies):
    out = StringIO()

    call_command(
        "import_national_catalog", str(SAMPLE), "--publish", "--effective-date", "01/07/2025", "-v", "2", stdout=out
    )

    assert "đã công bố 3" in out.getvalue()
    assert "Đã công bố: 1.001193, 1.012644, 2.000635" in out.getvalue()
    assert set(ProcedureVersion.objects.values_list("effective_from", flat=True)) == {datetime.date(2025, 7, 1)}


def test_command_lists_row_errors_and_saves_nothing(agencies, package, tmp_path):
    package[2]["MATTHC"] = "1.001193"
    package[2]["TENTTHC"] = ""
    package[0]["MATTHC"] = "1.000656"
    path = write_package(tmp_path, package)
    err = StringIO()

    with pytest.raises(CommandError, match="chưa có dữ liệu nào được lưu"):
        call_command("import_national_catalog", str(path), stderr=err)

    assert "Bản ghi 3 (1.001193) – TENTTHC: Thiếu tên thủ tục." in err.getvalue().splitlines()
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ đây không phải JSON", "không phải JSON hợp lệ"),
        ("", "trống"),
        ("42", "phải là một danh sách"),
        ('"chuỗi"', "phải là một danh sách"),
        ("Mã thủ tục;Tên thủ tục".encode("utf-16-le"), "UTF-8"),
    ],
)
def test_command_refuses_broken_files(tmp_path, content, message):
    path = write_package(tmp_path, content)

    with pytest.raises(CommandError, match=message):
        call_command("import_national_catalog", str(path))

    assert not Procedure.objects.exists()


def test_command_refuses_a_missing_file_and_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_national_catalog", str(tmp_path / "khong_co.json"))
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("import_national_catalog", str(SAMPLE), "--publish", "--effective-date", "2025/07/01x")
    with pytest.raises(CommandError, match="chỉ dùng cùng --publish"):
        call_command("import_national_catalog", str(SAMPLE), "--effective-date", "01/07/2025")
    assert not Procedure.objects.exists()
