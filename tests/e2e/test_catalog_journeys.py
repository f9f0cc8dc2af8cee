"""Browser journeys through the public catalog and the catalog admin (Playwright, Chromium).

Data is made in the test with the factories and services; the browser talks to the
pytest-django live server.
"""

import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procedures import services
from procedures.constants import FeeKind, VersionStatus
from procedures.models import Case, Fee, LegalBasis, Procedure, ProcedureAgency, ProcedureVersion, RequiredDocument
from tests.e2e.officers import pass_second_factor
from tests.factories import AdminFactory, AgencyFactory, DraftVersionFactory, published_version
from tests.procedures.import_columns import IMPORT_HEADERS

pytestmark = pytest.mark.usefixtures("transactional_db")

LICENCE = "Cấp, đổi giấy phép lái xe"
PASSWORD = "Matkhau@2026"
TAP_MIN_PX = 43.5  # ~44 CSS px (2.75rem), the usual minimum touch target

SECTIONS = [
    "Nộp hồ sơ trực tuyến",
    "Trình tự thực hiện",
    "Cách thức thực hiện",
    "Thành phần hồ sơ",
    "Phí, lệ phí",
    "Đối tượng thực hiện",
    "Cơ quan thực hiện",
    "Kết quả thực hiện",
    "Yêu cầu, điều kiện",
    "Căn cứ pháp lý",
]


def url(page, path: str) -> str:
    return page.base_url + path


def make_catalog():
    published_version(name=LICENCE, service_level=4, keywords="bằng lái, GPLX")
    published_version(name="Đăng ký khai sinh", service_level=3)
    published_version(name="Cấp giấy phép xây dựng", service_level=2)
    published_version(name="Chứng thực bản sao từ bản chính", service_level=1)


def search_from_home(page, query: str):
    page.goto(url(page, "/"))
    box = page.locator("form.search input[name=q]")
    box.fill(query)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q="))


def result_names(page) -> list[str]:
    return [name.strip() for name in page.locator(".proc-list .proc-name").all_inner_texts()]


# --- a. search without diacritics, open the procedure -------------------------------


def test_citizen_searches_without_diacritics_and_opens_the_procedure(page):
    make_catalog()
    search_from_home(page, "giay phep lai xe")

    assert result_names(page) == [LICENCE]
    expect(page.locator(".result-count")).to_contain_text("Tìm thấy 1 thủ tục")
    for unrelated in ("Đăng ký khai sinh", "Cấp giấy phép xây dựng", "Chứng thực bản sao"):
        expect(page.locator(".proc-list")).not_to_contain_text(unrelated)

    page.get_by_role("link", name=LICENCE).click()
    code = Procedure.objects.get(versions__name=LICENCE).national_code
    page.wait_for_url(f"**/thu-tuc/{code}/")
    expect(page.locator("h1")).to_have_text(LICENCE)
    headings = [h.strip() for h in page.locator("article.procedure h2").all_inner_texts()]
    for section in SECTIONS:
        assert section in headings, (section, headings)
    expect(page.locator("header .badge.level-4")).to_have_text("Toàn trình · Mức 4")
    button = page.get_by_role("link", name="Nộp hồ sơ trực tuyến")
    expect(button).to_be_visible()
    expect(page.locator(".notice")).to_have_count(0)


def test_level_2_procedure_has_no_online_filing_button(page):
    version = published_version(name="Cấp giấy phép xây dựng", service_level=2)
    page.goto(url(page, version.procedure.get_absolute_url()))
    expect(page.locator("header .badge.level-2")).to_have_text("Mức 2")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_count(0)
    expect(page.locator("#nop-ho-so h2")).to_have_text("Cách nộp hồ sơ")


# --- b. filter by level ---------------------------------------------------------------


def test_filter_catalog_by_level_4(page):
    make_catalog()
    published_version(name="Đăng ký kinh doanh hộ kinh doanh", service_level=4)
    page.goto(url(page, "/thu-tuc/"))
    expect(page.locator(".result-count")).to_contain_text("Tìm thấy 5 thủ tục")

    page.select_option("#id_level", "4")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"level=4"))

    expect(page.locator(".result-count")).to_contain_text("Tìm thấy 2 thủ tục")
    assert sorted(result_names(page)) == sorted([LICENCE, "Đăng ký kinh doanh hộ kinh doanh"])
    assert page.locator(".proc-list .badge").all_inner_texts() == ["Toàn trình · Mức 4"] * 2
    expect(page.locator("#id_level")).to_have_value("4")


# --- c. admin imports a spreadsheet, then publishes -----------------------------------


def login_admin(page):
    admin = AdminFactory()
    page.goto(url(page, "/quan-tri/login/"))
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    pass_second_factor(page, admin.username)  # then the authenticator's code
    page.wait_for_url(url(page, "/quan-tri/"))
    return admin


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in IMPORT_HEADERS])
    book.save(path)
    return path


def import_row(code: str, name: str, agency_code: str, **changes) -> dict:
    row = {
        "Mã thủ tục": code,
        "Tên thủ tục": name,
        "Mức độ": 4,
        "Cấp thực hiện": "Tỉnh",
        "Lĩnh vực": "Đường bộ",
        "Cơ quan thực hiện": agency_code,
        "Thời hạn giải quyết": 10,
        "Đơn vị thời hạn": "ngày làm việc",
        "Phí (đồng)": 0,
        "Lệ phí (đồng)": 200000,
        "Trình tự thực hiện": "Bước 1: Nộp hồ sơ trực tuyến\nBước 2: Nhận giấy phép qua bưu điện",
        "Thành phần hồ sơ": "Giấy đề nghị cấp giấy phép; Bản sao giấy đăng ký kinh doanh",
        "Đối tượng thực hiện": "Doanh nghiệp, hợp tác xã kinh doanh vận tải",
        "Kết quả thực hiện": "Giấy phép kinh doanh vận tải bằng xe ô tô",
        "Yêu cầu, điều kiện": "",
        "Căn cứ pháp lý": "10/2020/NĐ-CP Nghị định quy định về kinh doanh và điều kiện kinh doanh vận tải",
    }
    row.update(changes)
    return row


def db_counts():
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Fee.objects.count(),
        RequiredDocument.objects.count(),
        ProcedureAgency.objects.count(),
    )


def submit_import(page, path):
    page.goto(url(page, "/quan-tri/procedures/procedureversion/import/"))
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"Lệ phí (đồng)": "-5000"}, "Số tiền “-5000” không hợp lệ"),
        ({"Mã thủ tục": "1.23"}, "không đúng dạng d.dddddd"),
    ],
    ids=["negative-fee", "bad-code"],
)
def test_admin_imports_xlsx_fixes_bad_row_and_publishes(page, tmp_path, bad, message):
    agency = AgencyFactory(code="000.00.06.H56", name="Sở Xây dựng và Giao thông", slug="so-xay-dung-giao-thong")
    published_version(name=LICENCE, service_level=4)
    login_admin(page)
    name = "Cấp giấy phép kinh doanh vận tải bằng xe ô tô"
    other = "Cấp phù hiệu xe ô tô kinh doanh vận tải"

    # 1. A file with one bad row: the error is shown at that row, nothing is imported.
    before = db_counts()
    bad_file = write_xlsx(
        tmp_path / "thu-tuc-loi.xlsx",
        [import_row("2.000123", name, agency.code), import_row("2.000456", other, agency.code, **bad)],
    )
    submit_import(page, bad_file)
    errors = page.locator("table.import-preview")
    expect(errors).to_contain_text(message)
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    assert db_counts() == before
    assert not Procedure.objects.filter(national_code__in=["2.000123", "2.000456"]).exists()

    # 2. The fixed file: preview, confirm, and the rows become drafts (not public yet).
    good_file = write_xlsx(
        tmp_path / "thu-tuc.xlsx",
        [import_row("2.000123", name, agency.code), import_row("2.000456", other, agency.code)],
    )
    submit_import(page, good_file)
    expect(page.locator("table.import-preview")).to_contain_text(name)
    page.locator("input[name=confirm]").click()
    page.wait_for_url(re.compile(r"/quan-tri/procedures/procedureversion/"))
    draft = ProcedureVersion.objects.get(procedure__national_code="2.000123")
    assert draft.status == VersionStatus.DRAFT
    page.goto(url(page, "/thu-tuc/?q=kinh doanh van tai"))
    expect(page.locator(".proc-list")).not_to_contain_text(name)
    assert page.goto(url(page, "/thu-tuc/2.000123/")).status == 404

    # 3. Publish the new draft from its change page.
    page.goto(url(page, "/quan-tri/procedures/procedureversion/?status__exact=draft"))
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("link", name="Công bố phiên bản này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công bố phiên bản thủ tục")
    expect(page.get_by_role("heading", level=2, name=f"2.000123 – {name} (phiên bản 1)")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)  # the imported record is complete
    page.fill("#id_effective_from", timezone.localdate().isoformat())
    page.get_by_role("button", name="Công bố", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Đã công bố phiên bản 1 của thủ tục 2.000123")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.is_current

    # 4. Citizens now find it, and its page shows what the file said.
    page.goto(url(page, "/thu-tuc/?q=giay phep kinh doanh van tai"))
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url("**/thu-tuc/2.000123/")
    article = page.locator("article.procedure")
    expect(article.locator("h1")).to_have_text(name)
    expect(article.locator(".badge.level-4").first).to_be_visible()
    expect(article).to_contain_text("Giấy đề nghị cấp giấy phép")
    expect(article).to_contain_text("200.000")
    expect(article).to_contain_text("10/2020/NĐ-CP")
    expect(article).to_contain_text("Sở Xây dựng và Giao thông")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    # The other imported row is still a draft, so still not public.
    assert page.goto(url(page, "/thu-tuc/2.000456/")).status == 404


# --- d. a cheap phone -------------------------------------------------------------------


def assert_no_horizontal_scroll(page):
    scroll, inner, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= inner + 1, f"horizontal scrolling on {page.url}: {scroll} > {inner}"
    # Mobile Chrome zooms out to fit content wider than the screen, which makes
    # innerWidth grow with it; the layout viewport (clientWidth) stays 360.
    assert inner <= page.viewport_size["width"] + 1, f"page zoomed out to fit wide content on {page.url}: {inner}"
    assert scroll <= client + 1, f"horizontal scrolling on {page.url}: {scroll} > {client}"


def assert_tappable(locator, what: str):
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["height"] >= TAP_MIN_PX, (what, box)
    assert box["width"] >= TAP_MIN_PX, (what, box)


def licence_with_full_record() -> ProcedureVersion:
    """A realistic record: cases, many documents with forms, two fees, legal bases."""
    agency = AgencyFactory(name="Sở Xây dựng tỉnh (Phòng Quản lý phương tiện và người lái)")
    draft = DraftVersionFactory(
        name=LICENCE,
        service_level=4,
        at_commune=True,
        channel_post=True,
        channel_online=True,
        receiving_address="Trung tâm Phục vụ hành chính công tỉnh, số 1 đường Trần Hưng Đạo, phường Trung tâm",
        conditions="Người có giấy phép lái xe còn thời hạn hoặc quá hạn dưới 3 tháng." * 3,
        results="Giấy phép lái xe bằng vật liệu PET và giấy phép lái xe điện tử trên ứng dụng VNeID.",
        parts__agency=agency,
        parts__amount=135000,
    )
    cases = [
        Case.objects.create(version=draft, name="Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", order=1),
        Case.objects.create(version=draft, name="Đổi giấy phép lái xe quân sự, công an cấp", order=2),
    ]
    for n in range(12):
        RequiredDocument.objects.create(
            version=draft,
            case=cases[n % 2],
            name=f"Bản sao giấy chứng nhận sức khỏe của người lái xe do cơ sở y tế có thẩm quyền cấp (mẫu {n + 1})",
            form_name=f"Mẫu số {n + 1:02d}/TT-BGTVT đơn đề nghị đổi, cấp lại giấy phép lái xe",
            form_url="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
            originals=1,
            copies=n % 3,
            replaceable_by_lookup=n % 4 == 0,
        )
    Fee.objects.create(version=draft, kind=FeeKind.CHARGE, name="Phí sát hạch lý thuyết", amount=100000)
    for n in range(5):
        LegalBasis.objects.create(
            version=draft,
            number=f"{35 + n}/2024/TT-BGTVT",
            title="Thông tư quy định về đào tạo, sát hạch, cấp giấy phép lái xe; cấp, sử dụng giấy phép lái xe quốc tế",
            issuer="Bộ Giao thông vận tải",
        )
    return services.version_publish(version=draft, effective_from=timezone.localdate())


def test_phone_home_search_procedure(phone_page):
    page = phone_page
    version = licence_with_full_record()
    published_version(name="Đăng ký khai sinh", service_level=3)
    weights = {}

    def record(response):
        if response.request.resource_type in ("document", "stylesheet"):
            try:
                weights[response.url] = len(response.body())
            except Exception:  # a redirect has no body
                weights[response.url] = 0

    page.goto(url(page, "/"))
    assert_no_horizontal_scroll(page)
    assert_tappable(page.locator("form.search input[name=q]"), "home search box")
    assert_tappable(page.locator("form.search button[type=submit]"), "home search button")

    page.locator("form.search input[name=q]").fill("giay phep lai xe")
    page.locator("form.search button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q="))
    assert_no_horizontal_scroll(page)
    assert_tappable(page.locator("#id_q"), "catalog search box")
    assert_tappable(page.locator("#id_level"), "level select")
    assert_tappable(page.locator("form.filters button[type=submit]"), "catalog search button")
    assert result_names(page) == [LICENCE]

    page.on("response", record)
    page.get_by_role("link", name=LICENCE).tap()
    page.wait_for_url(f"**{version.procedure.get_absolute_url()}")
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll(page)
    assert_tappable(page.get_by_role("link", name="Nộp hồ sơ trực tuyến"), "online filing button")
    expect(page.locator("h1")).to_have_text(LICENCE)

    # Page weight: HTML + CSS, counted uncompressed (an upper bound of what is transferred).
    total = sum(weights.values())
    assert any(u.endswith(".css") for u in weights), weights
    assert 0 < total < 100 * 1024, weights
