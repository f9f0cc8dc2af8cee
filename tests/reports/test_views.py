"""Report pages: who sees what, bad filters answered at the field, the drill-down lists the
dossiers behind a figure, exports open (xlsx with openpyxl, PDF with pypdf), the public
transparency pages are open to anyone."""

import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.constants import AccountKind, StaffRole
from reports import services
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    cache.clear()
    first, second = agency_staff(), agency_staff()
    dossier_at(first, "returned")
    dossier_at(first, "received")
    dossier_at(second, "specialist")
    services.refresh()
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=admin, agency=first.agency, role=StaffRole.PROVINCIAL_ADMIN)
    return first, second, admin


def year() -> str:
    return str(timezone.localdate().year)


def test_who_may_open_the_report_pages(client, province):
    first, second, admin = province
    assert client.get("/bao-cao/").status_code == 302  # to the login page
    client.force_login(CitizenFactory())
    assert client.get("/bao-cao/").status_code == 403
    client.force_login(first.desk)  # a one-stop officer: not a report reader
    assert client.get("/bao-cao/").status_code == 403
    client.force_login(first.leader)
    body = client.get("/bao-cao/").content.decode()
    assert first.agency.name in body and second.agency.name not in body.split("Tình hình, kết quả giải quyết")[1]
    response = client.get("/bao-cao/", {"co_quan": second.agency.pk})
    assert response.status_code == 400 and "Bạn không được xem số liệu của cơ quan này." in response.content.decode()
    client.force_login(admin)
    body = client.get("/bao-cao/").content.decode()
    assert first.agency.name in body and second.agency.name in body


def test_kpi_page_shows_the_indices_and_the_processing_table(client, province):
    first, second, admin = province
    client.force_login(admin)
    body = client.get("/bao-cao/", {"ky": year()}).content.decode()
    for text in ("Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Số hóa hồ sơ", "2.1. Hồ sơ xử lý trước hạn"):
        assert text in body
    assert 'id="total-points"' in body and "/ 100 điểm" in body
    assert f'id="agency-{first.agency.pk}"' in body and f'id="agency-{second.agency.pk}"' in body
    # Drill-down: the dossiers still being processed at the end of the period.
    drill = client.get("/bao-cao/ho-so/", {"ky": year(), "so_lieu": "open_end"}).content.decode()
    assert 'id="drill-total">2<' in drill
    drill = client.get(
        "/bao-cao/ho-so/", {"ky": year(), "so_lieu": "ended", "co_quan": first.agency.pk}
    ).content.decode()
    assert 'id="drill-total">1<' in drill and "12/TP-HT" not in drill


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"ky": "2026-13"}, "ky", "Tháng phải từ 1 đến 12."),
        ({"ky": "năm ngoái"}, "ky", "Kỳ báo cáo phải có dạng"),
        ({"ky": "1999"}, "ky", "Năm phải từ 2015"),
        ({"ky": "2099"}, "ky", "Năm phải từ 2015"),
        ({"cap": "huyen-moi"}, "cap", "Cấp không hợp lệ"),
        ({"co_quan": "abc"}, "co_quan", "Không có cơ quan này"),
        ({"co_quan": "999999"}, "co_quan", "Không có cơ quan này"),
    ],
)
def test_bad_filters_are_answered_at_the_field_and_kept(client, province, params, field, message):
    _, _, admin = province
    client.force_login(admin)
    for url in ("/bao-cao/", "/bao-cao/bang-so-lieu/", "/bao-cao/thu-tuc/", "/bao-cao/xuat.xlsx"):
        response = client.get(url, params)
        body = response.content.decode()
        assert response.status_code == 400, url
        assert message in body and f'id="e-{field.replace("_", "-")}"' in body
        value = next(iter(params.values()))
        if field == "ky":
            assert f'value="{value}"' in body  # what was typed stays in the field
        assert 'id="total-points"' not in body


def test_drill_down_refuses_an_unknown_figure(client, province):
    _, _, admin = province
    client.force_login(admin)
    response = client.get("/bao-cao/ho-so/", {"so_lieu": "tat_ca; drop table"})
    assert response.status_code == 400 and "Không có số liệu này." in response.content.decode()
    response = client.get("/bao-cao/ho-so/", {"so_lieu": "received", "sau": "không phải số"})
    assert response.status_code == 200


def test_every_report_names_the_scope_its_reader_sees(client, province):
    """A commune leader's report says whose figures they are (it said "toàn tỉnh"): on the
    page, the drill-down and both exports; the provincial admin's says "Toàn tỉnh"."""
    first, second, admin = province
    client.force_login(first.leader)
    page = client.get("/bao-cao/", {"ky": year()}).content.decode()
    header = page[page.index('<p class="report-scope">') :].split("</p>")[0]
    assert first.agency.name in header and "oàn tỉnh" not in header
    drill = client.get("/bao-cao/ho-so/", {"ky": year(), "so_lieu": "open_end"}).content.decode()
    assert first.agency.name in drill[drill.index('<p class="report-scope">') :].split("</p>")[0]
    book = load_workbook(io.BytesIO(client.get("/bao-cao/xuat.xlsx", {"ky": year()}).content), read_only=True)
    title = next(book["Chỉ số 766"].iter_rows(values_only=True))[0]
    assert title.endswith(f" – {first.agency.name}")
    pdf = client.get("/bao-cao/xuat.pdf", {"ky": year()}).content
    assert f"Phạm vi: {first.agency.name}" in " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())

    client.force_login(admin)
    page = client.get("/bao-cao/", {"ky": year()}).content.decode()
    assert "· Toàn tỉnh ·" in page[page.index('<p class="report-scope">') :].split("</p>")[0]
    page = client.get("/bao-cao/", {"ky": year(), "co_quan": second.agency.pk}).content.decode()
    assert second.agency.name in page[page.index('<p class="report-scope">') :].split("</p>")[0]


def test_an_agency_without_dossiers_is_not_ranked_above_those_that_work(client, province):
    """Published procedures but no dossier in the period: "Chưa phát sinh hồ sơ", no total,
    listed after the ranked agencies (it ranked "Tốt" on its catalog figures alone)."""
    from reports import indices
    from tests.dossiers.staff import version_for
    from tests.factories import AgencyFactory

    first, second, admin = province
    idle = AgencyFactory(name="Phòng Không Việc")
    version_for(idle)
    services.refresh()
    cache.clear()
    client.force_login(admin)
    page = client.get("/bao-cao/", {"ky": year()}).content.decode()
    row = page[page.index(f'id="agency-{idle.pk}"') :].split("</tr>")[0]
    assert indices.NO_DOSSIERS in row and "Tốt" not in row
    order = [page.index(f'id="agency-{a.pk}"') for a in (first.agency, second.agency, idle)]
    assert order[2] > max(order[:2])  # after every agency that has a total
    worked = page[page.index(f'id="agency-{first.agency.pk}"') :].split("</tr>")[0]
    assert indices.NO_DOSSIERS not in worked


def test_the_drill_down_of_indicator_2_1_lists_exactly_the_dossiers_it_counts(client, province):
    """2.1's numerator (ended on time + open and not late at the end) opened the late ones:
    "15" led to a list of 0. Each indicator's link lists as many dossiers as it shows."""
    import re

    first, second, admin = province
    client.force_login(admin)
    page = client.get("/bao-cao/", {"ky": year()}).content.decode()
    row = page[page.index('id="ind-2.1"') :].split("</tr>")[0]
    link, shown = re.search(r'<a class="drill" href="([^"]+)"[^>]*>([\d.]+)</a>', row).groups()
    assert "so_lieu=handled_on_time" in link and shown == "3"  # one ended, two still open in time
    drill = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'id="drill-total">3<' in drill
    for name, count in (("handled", 3), ("handled_late", 0)):
        drill = client.get("/bao-cao/ho-so/", {"ky": year(), "so_lieu": name}).content.decode()
        assert f'id="drill-total">{count}<' in drill


def test_xlsx_export_opens_with_the_page_figures(client, province):
    first, _, admin = province
    client.force_login(admin)
    response = client.get("/bao-cao/xuat.xlsx", {"ky": year()})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-766-{year()}.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Chỉ số 766", "Tình hình giải quyết", "Dịch vụ công trực tuyến", "Theo thủ tục"]
    processing = list(book["Tình hình giải quyết"].iter_rows(values_only=True))
    header = processing[1]
    total = processing[2]
    assert total[0] == "Toàn bộ phạm vi báo cáo"
    assert total[header.index("Tiếp nhận trong kỳ")] == 3
    assert total[header.index("Đang giải quyết")] == 2
    agency_row = next(r for r in processing if r[0] == first.agency.name)
    assert agency_row[header.index("Đã giải quyết, kết thúc")] == 1
    scores = list(book["Chỉ số 766"].iter_rows(values_only=True))
    assert scores[2][0] == "Cơ quan / cấp" and isinstance(scores[3][1], (int, float))


def test_pdf_export_reads_back(client, province):
    first, _, admin = province
    client.force_login(admin)
    response = client.get("/bao-cao/xuat.pdf", {"ky": year()})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bộ chỉ số phục vụ người dân, doanh nghiệp" in text
    assert first.agency.name in text and "Tình hình, kết quả giải quyết" in text


def test_an_unknown_export_format_is_not_found(client, province):
    _, _, admin = province
    client.force_login(admin)
    assert client.get("/bao-cao/xuat.docx").status_code == 404


def test_tables_and_procedures_pages(client, province):
    first, _, admin = province
    client.force_login(admin)
    body = client.get("/bao-cao/bang-so-lieu/", {"ky": year()}).content.decode()
    assert "Thủ tục hành chính theo mức độ và cấp thực hiện" in body and first.agency.name in body
    body = client.get("/bao-cao/thu-tuc/", {"ky": year(), "sap_xep": "bo-do"}).content.decode()
    assert "Phễu nộp trực tuyến" in body and 'id="procedure-table"' in body


def test_public_transparency_pages_need_no_login(client, province):
    first, _, _ = province
    body = client.get("/minh-bach/").content.decode()
    assert first.agency.name in body and "<svg" in body
    page = client.get(f"/minh-bach/{first.agency.slug}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="on-time"' in body and 'id="online"' in body and 'id="satisfaction"' in body
    assert "<script" not in body.split("<main")[1].split("</main>")[0]  # the chart is SVG, no script
    assert client.get("/minh-bach/khong-co-co-quan-nay/").status_code == 404


def test_the_drill_down_of_indicator_5_4_lists_exactly_the_dossiers_it_counts(client):
    """5.4 (hài lòng trong tiếp nhận, giải quyết) counts the handled dossiers neither late nor
    complained of (a complaint or a dissatisfied rating); its figure had no link, since the
    count was a sum (handled − late − complained) with no dossiers behind it, and a dossier
    both late and complained of was taken off twice."""
    import re

    from dossiers.models import Dossier
    from feedback import services as feedback_services

    cache.clear()
    staff = agency_staff()
    kept = dossier_at(staff, "returned")  # on time, no complaint: counted
    still_open = dossier_at(staff, "received")  # open and not late at the end: counted
    rated_badly = dossier_at(staff, "returned")  # on time, dissatisfied rating: not counted
    late_and_rated = dossier_at(staff, "returned")  # late and dissatisfied: not counted, once
    Dossier.objects.filter(pk=late_and_rated.pk).update(due_at=late_and_rated.received_at)
    for dossier in (rated_badly, late_and_rated):
        feedback_services.rating_submit(
            dossier=dossier,
            user=dossier.owner,
            values={
                "overall": "dissatisfied",
                "convenience": "dissatisfied",
                "on_time": "dissatisfied",
                "attitude": "satisfied",
                "comment": "Phải đi lại nhiều lần",
            },
        )
    services.refresh()
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    client.force_login(admin)

    page = client.get("/bao-cao/", {"ky": year(), "co_quan": staff.agency.pk}).content.decode()
    row = page[page.index('id="ind-5.4"') :].split("</tr>")[0]
    found = re.search(r'<a class="drill" href="([^"]+)"[^>]*>([\d.]+)</a>', row)
    assert found, row
    link, shown = found.groups()
    assert "so_lieu=satisfied" in link and shown == "2"
    drill = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'id="drill-total">2<' in drill
    listed = set(re.findall(r'<a class="code" href="[^"]+">([^<]+)</a>', drill))
    assert listed == {kept.code, still_open.code}
