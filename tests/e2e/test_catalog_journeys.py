"""Browser journeys through the public catalog and the catalog admin (Playwright, Chromium).

Data is made in the test with the factories and services; the browser talks to the
pytest-django live server.
"""

import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procedures import resources, services
from procedures.constants import FeeKind, VersionStatus
from procedures.models import Case, Fee, LegalBasis, Procedure, ProcedureVersion, RequiredDocument, Withdrawal
from tests.e2e.officers import pass_second_factor
from tests.factories import AdminFactory, AgencyFactory, DraftVersionFactory, published_version
from tests.procedures.workbook import snapshot

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


# --- c. admin round-trips the catalog through Excel, then publishes -----------------------


def login_admin(page):
    admin = AdminFactory()
    page.goto(url(page, "/quan-tri/login/"))
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    pass_second_factor(page, admin.username)  # then the authenticator's code
    page.wait_for_url(url(page, "/quan-tri/"))
    return admin


def export_catalog(page, path):
    """Press "Xuất Excel" on the versions' list and keep the file."""
    page.goto(url(page, "/quan-tri/procedures/procedureversion/"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = info.value
    assert download.suggested_filename == f"danh-muc-thu-tuc-{timezone.localdate():%Y%m%d}.xlsx"
    download.save_as(path)
    return path


def edit_cell(path, sheet: str, code: str, header: str, value):
    """What the admin does in Excel: one cell of one procedure's row changed (openpyxl)."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    rows = [row for row in ws.iter_rows(min_row=2) if row[0].value == code]
    assert rows, code
    rows[0][headers.index(header)].value = value
    book.save(path)
    return path


def submit_import(page, path):
    page.goto(url(page, "/quan-tri/procedures/procedureversion/"))
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.set_input_files("#id_import_file", str(path))
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_load_state()


def make_admin_catalog():
    agency = AgencyFactory(code="000.00.06.H56", name="Sở Xây dựng và Giao thông", slug="so-xay-dung-giao-thong")
    licence = published_version(name=LICENCE, service_level=4, channel_online=True, parts__agency=agency)
    others = [
        published_version(name="Đăng ký khai sinh", service_level=3, channel_online=True),
        published_version(name="Cấp giấy phép xây dựng", service_level=2),
        published_version(name="Chứng thực bản sao từ bản chính", service_level=1),
    ]
    return licence, others


def test_admin_exports_the_catalog_edits_one_field_and_reimports_it(page, tmp_path):
    licence, others = make_admin_catalog()
    code = licence.procedure.national_code
    login_admin(page)
    before = snapshot()

    path = export_catalog(page, tmp_path / "danh-muc.xlsx")
    edit_cell(path, "Thủ tục", code, "Thời hạn giải quyết", 3)
    submit_import(page, path)

    # The preview shows exactly that change, for that procedure only.
    expect(page.locator("h2.import-procedure")).to_have_count(1)
    expect(page.locator("h2.import-procedure")).to_contain_text(f"{code} – {LICENCE}")
    table = page.locator(f"table.import-preview[data-code='{code}']")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr th")).to_have_text("Thời hạn giải quyết")
    expect(table.locator("td.old")).to_have_text("5")
    expect(table.locator("td.new")).to_have_text("3")
    expect(page.locator("#content")).to_contain_text("1 thủ tục có thay đổi, 3 thủ tục không đổi")
    assert snapshot() == before  # nothing written by the preview

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã nhập: 1 thủ tục có thay đổi")

    draft = ProcedureVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.procedure_id == licence.procedure_id and draft.number == 2
    assert draft.time_limit == 3
    assert resources.version_record(draft) == {**resources.version_record(licence), "time_limit": 3}
    after = snapshot()
    # every other row as it was: the published versions, their fees, agencies and fields
    assert [v for v in after["versions"] if v[0] != draft.pk] == before["versions"]
    assert [f for f in after["fees"] if f[1] != draft.pk] == before["fees"]
    assert [r for r in after["roles"] if r[1] != draft.pk] == before["roles"]
    assert after["procedures"] == before["procedures"]

    # The same file again changes nothing more (the draft already holds the edit).
    submit_import(page, path)
    expect(page.locator(".import-nothing")).to_be_visible()
    assert snapshot() == after


@pytest.mark.parametrize(
    ("sheet", "header", "bad", "message"),
    [
        (
            "Phí, lệ phí",
            "Số tiền (đồng)",
            "-5000",
            "Trang “Phí, lệ phí”, dòng 2, cột “Số tiền (đồng)”: Số tiền “-5000”",
        ),
        ("Cơ quan thực hiện", "Mã cơ quan", "000.00.99.H99", "Không có cơ quan mang mã 000.00.99.H99"),
    ],
    ids=["negative-fee", "unknown-agency"],
)
def test_admin_imports_xlsx_fixes_bad_cell_and_publishes(page, tmp_path, sheet, header, bad, message):
    licence, _ = make_admin_catalog()
    code = licence.procedure.national_code
    name = "Cấp, đổi giấy phép lái xe (quy trình mới)"
    login_admin(page)
    path = export_catalog(page, tmp_path / "danh-muc.xlsx")
    edit_cell(path, "Thủ tục", code, "Tên thủ tục", name)

    # 1. A file with one bad cell: the message names it, nothing is imported.
    before = snapshot()
    bad_file = edit_cell(tmp_path / "danh-muc.xlsx", sheet, code, header, bad)
    submit_import(page, bad_file)
    expect(page.locator("ul.import-errors")).to_contain_text(message)
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    assert snapshot() == before

    # 2. The fixed file: preview, confirm, and the row becomes a draft (not public yet).
    export_catalog(page, tmp_path / "lai.xlsx")
    edit_cell(tmp_path / "lai.xlsx", "Thủ tục", code, "Tên thủ tục", name)
    submit_import(page, tmp_path / "lai.xlsx")
    expect(page.locator("table.import-preview td.new")).to_have_text(name)
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã nhập: 1 thủ tục")
    draft = ProcedureVersion.objects.get(status=VersionStatus.DRAFT)
    page.goto(url(page, "/thu-tuc/?q=quy trinh moi"))
    expect(page.locator(".proc-list")).not_to_contain_text(name)

    # 3. Publish the new draft from its change page.
    page.goto(url(page, "/quan-tri/procedures/procedureversion/?status__exact=draft"))
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("link", name="Công bố phiên bản này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công bố phiên bản thủ tục")
    expect(page.get_by_role("heading", level=2, name=f"{code} – {name} (phiên bản 2)")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)  # the record is complete
    page.fill("#id_effective_from", timezone.localdate().isoformat())
    page.get_by_role("button", name="Công bố", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"Đã công bố phiên bản 2 của thủ tục {code}")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.is_current

    # 4. Citizens now find it, with what the version in force had (fees, agency).
    page.goto(url(page, "/thu-tuc/?q=quy trinh moi"))
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**/thu-tuc/{code}/")
    article = page.locator("article.procedure")
    expect(article.locator("h1")).to_have_text(name)
    expect(article).to_contain_text("50.000")
    expect(article).to_contain_text("Sở Xây dựng và Giao thông")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()


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


# --- e. the provincial admin withdraws a procedure --------------------------------------------


def test_admin_withdraws_a_published_procedure_and_citizens_see_it_marked(page):
    licence = published_version(
        name=LICENCE, service_level=4, channel_online=True, effective_from=timezone.localdate() - timedelta(days=30)
    )
    published_version(name="Đăng ký khai sinh", service_level=3)
    code = licence.procedure.national_code
    login_admin(page)
    page.goto(url(page, f"/quan-tri/procedures/procedureversion/{licence.pk}/change/"))
    page.get_by_role("link", name="Bãi bỏ thủ tục", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bãi bỏ thủ tục hành chính")

    # Bad input: each message at its field, what was typed kept.
    page.fill("#id_reason", "Nghị định mới bãi bỏ thủ tục này")
    page.fill("#id_effective_on", "2000-01-01")
    page.get_by_role("button", name="Bãi bỏ thủ tục").click()
    expect(page.locator(".errorlist")).to_contain_text(["Hãy nhập số quyết định bãi bỏ"])
    expect(page.locator("#id_reason")).to_have_value("Nghị định mới bãi bỏ thủ tục này")
    assert not Withdrawal.objects.exists()

    page.fill("#id_decision_number", "1234/QĐ-UBND")
    page.get_by_role("button", name="Bãi bỏ thủ tục").click()
    expect(page.locator(".errorlist")).to_contain_text(["phải sau ngày thủ tục bắt đầu có hiệu lực"])
    page.fill("#id_effective_on", timezone.localdate().isoformat())
    page.get_by_role("button", name="Bãi bỏ thủ tục").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Đã ghi nhận bãi bỏ thủ tục {code}")

    # Citizens: no longer found, but the page stays, marked, without the filing button.
    page.goto(url(page, "/thu-tuc/?q=giay phep lai xe"))
    expect(page.locator(".proc-list")).not_to_contain_text(LICENCE)
    page.goto(url(page, f"/thu-tuc/{code}/"))
    expect(page.locator("h1")).to_have_text(LICENCE)
    expect(page.locator(".notice.withdrawn")).to_contain_text(
        f"ngừng thực hiện từ ngày {timezone.localdate():%d/%m/%Y} (quyết định 1234/QĐ-UBND)"
    )
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_count(0)
    expect(page.locator("ul.history")).to_contain_text("Bãi bỏ, ngừng thực hiện từ")
