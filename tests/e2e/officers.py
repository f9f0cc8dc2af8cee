"""Helpers of the officers' browser journeys: logging in through the real login page,
the dossier page's action forms (one ``<details>`` per action) and its facts."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

PASSWORD = "Canbo@Thanhhoa2026"
CITIZEN_PASSWORD = "Congdan@Thanhhoa2026"


def with_password(user, password: str = PASSWORD):
    """Give a factory user a known password (officers log in with their username)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def new_page(browser, base_url: str, contexts: list) -> Page:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    contexts.append(context)
    page = context.new_page()
    page.base_url = base_url
    return page


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the real page; officers and admins then type the code their
    authenticator app shows (their device is made here if they have none)."""
    page.goto(page.base_url + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    pass_second_factor(page, username)
    expect(page).not_to_have_url(re.compile("/dang-nhap/"))


def pass_second_factor(page: Page, username: str) -> None:
    """If the portal asks for the second factor, type the code the account's authenticator
    app shows (a confirmed device is made for it if it has none)."""
    page.wait_for_load_state()
    if not re.search(r"/xac-thuc", page.url):
        return
    from accounts.models import User
    from tests.second_factor import device_of, fresh_code

    device = device_of(User.objects.get(username=username))
    if "/tai-khoan/xac-thuc-hai-buoc/" in page.url:  # no device when the page was drawn
        page.goto(page.url.replace("/tai-khoan/xac-thuc-hai-buoc/", "/dang-nhap/xac-thuc/"))
    page.locator("#id_token").fill(fresh_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_load_state()


# --- queue page (/can-bo/) --------------------------------------------------------------------


def queue_link(page: Page, key: str):
    return page.locator(f"nav.queues a[data-queue='{key}']")


def expect_queue_count(page: Page, key: str, count: int) -> None:
    expect(queue_link(page, key).locator(".count")).to_have_text(str(count))


def open_queue(page: Page, key: str) -> None:
    queue_link(page, key).click()
    expect(queue_link(page, key)).to_have_attribute("aria-current", "page")


def expect_listed(page: Page, codes: list[str]) -> None:
    """The queue's table lists exactly these dossier codes, in this order."""
    expect(page.locator("table.queue a.code")).to_have_text(codes)


def open_from_queue(page: Page, key: str, code: str) -> None:
    """Go to the queues, pick the queue ``key`` and click the dossier's code."""
    page.goto(page.base_url + "/can-bo/")
    open_queue(page, key)
    page.locator("table.queue a.code", has_text=code).click()
    expect(page.locator("dl.facts dd.code")).to_have_text(code)


# --- dossier page (/can-bo/ho-so/<code>/) -----------------------------------------------------


def fact(page: Page, label: str):
    """The value (``dd``) after the term ``label`` in the page's facts lists."""
    return page.locator("dl.facts dt", has_text=re.compile(rf"^{re.escape(label)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def action_form(page: Page, name: str):
    """Open the action's ``<details>`` (if closed) by clicking its summary; returns the details."""
    details = page.locator(f"details#tt-{name}")
    expect(details).to_have_count(1)
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    return details


def submit_action(details, label: str) -> None:
    details.get_by_role("button", name=label, exact=True).click()


def expect_done(page: Page, label: str) -> None:
    expect(page.locator(".messages")).to_contain_text(f"Đã thực hiện: {label}.")


def shown(moment) -> str:
    """A datetime as the pages print it (d/m/Y H:i, local time)."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def pdf_payload(name: str = "ket-qua.pdf") -> dict:
    from tests.dossiers.files import pdf

    upload = pdf(name)
    return {"name": upload.name, "mimeType": "application/pdf", "buffer": upload.read()}


def form_links(page: Page):
    """Links to issued standard forms (Mẫu, printing app) — present only once it is built."""
    return page.locator("a[href*='/bieu-mau/']")


def check_issued_form(page: Page, number: str) -> str | None:
    """If the page links the issued form "Mẫu <number>", it opens as a PDF; returns its text.

    The printing app is built alongside: when the link is absent nothing is asserted."""
    link = form_links(page).filter(has_text=f"Mẫu {number}")
    if not link.count():
        return None
    response = page.request.get(page.base_url + link.first.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
