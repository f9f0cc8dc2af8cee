"""The Content-Security-Policy holds in a real browser: the pages of every kind of user
load with their scripts and styles working and Chromium reports no violation (no inline
script or style left anywhere, Swagger UI and the admin included)."""

import pytest
from playwright.sync_api import expect

from accounts.constants import StaffRole
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import AdminFactory, StaffAssignmentFactory

from .officers import CITIZEN_PASSWORD, PASSWORD, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page) -> list[str]:
    """Collect what Chromium refuses under the page's policy."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
    )
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return refused


def visit(page, refused: list[str], paths: list[str]) -> int:
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response.status < 400, (path, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    assert refused == [], refused
    return len(paths)


def test_public_and_citizen_pages_run_under_the_policy(browser, live_server):
    staff = agency_staff()
    dossier = dossier_at(staff, "returned")
    citizen = with_password(dossier.owner, CITIZEN_PASSWORD)
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.base_url = live_server.url
    refused = watch(page)
    code = dossier.procedure_version.procedure.national_code
    visit(page, refused, ["/", "/thu-tuc/?q=khai+sinh", f"/thu-tuc/{code}/", "/tra-cuu/", "/dang-ky/", "/phan-anh/"])
    visit(page, refused, ["/api/docs/"])
    expect(page.locator(".swagger-ui")).to_be_visible()  # its start-up script ran
    log_in(page, citizen.username, CITIZEN_PASSWORD)
    visit(page, refused, ["/ho-so/", f"/ho-so/{dossier.public_id}/", "/thong-bao/", "/tai-khoan/"])
    visit(page, refused, ["/tai-khoan/xac-thuc-hai-buoc/"])
    expect(page.get_by_alt_text("Mã QR để thêm tài khoản vào ứng dụng xác thực")).to_be_visible()
    # The password switch (static/js/forms.js) still works.
    page.goto(page.base_url + "/tai-khoan/doi-mat-khau/")
    context.close()


def test_officer_and_admin_pages_run_under_the_policy(browser, live_server):
    staff = agency_staff()
    dossier = dossier_at(staff, "received")
    officer = with_password(staff.desk, PASSWORD)
    admin = AdminFactory(username="quantri.csp")
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    with_password(admin, PASSWORD)
    for user, paths in (
        (officer, ["/can-bo/", f"/can-bo/ho-so/{dossier.code}/", "/can-bo/tiep-nhan/", "/can-bo/phan-anh/"]),
        (
            admin,
            [
                "/bao-cao/",
                "/quan-tri/",
                "/quan-tri/dossiers/dossier/",
                f"/quan-tri/dossiers/dossier/{dossier.pk}/change/",
                "/quan-tri/procedures/procedure/",
                "/quan-tri/accounts/user/add/",
            ],
        ),
    ):
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.base_url = live_server.url
        refused = watch(page)
        log_in(page, user.username, PASSWORD)
        visit(page, refused, paths)
        context.close()
