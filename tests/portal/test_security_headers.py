"""Security headers on every kind of answer, and no inline script or style in any template
the browser receives (the Content-Security-Policy would block it; tests/e2e checks the
policy in Chromium)."""

import re
from pathlib import Path

import pytest

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered by WeasyPrint into PDFs, never sent to a browser as HTML.
PDF_ONLY = ("printing/", "reports/pdf.html")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/dang-nhap/", "/api/v1/procedures/", "/khong-co-trang-nay/"])
def test_every_answer_carries_the_policy_and_the_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["form-action"].startswith("'self'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_forms_may_post_to_the_payment_gateway_and_nowhere_else(client, settings):
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    policy = client.get("/")["Content-Security-Policy"]
    assert "form-action 'self' https://sandbox.vnpayment.vn;" in policy + ";"


def test_only_file_previews_may_be_framed_and_only_by_the_portal(client):
    from tests.dossiers import files
    from tests.dossiers.staff import agency_staff, dossier_at

    staff = agency_staff()
    dossier = dossier_at(staff, "resolved")
    client.force_login(dossier.owner)
    response = client.get(f"/tep/{dossier.result.stored_file.public_id}/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert files  # the builders module stays importable here
    page = client.get(f"/ho-so/{dossier.public_id}/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_logged_in_pages_are_not_stored_by_shared_computers(client):
    client.force_login(CitizenFactory())
    response = client.get("/ho-so/")
    assert response.status_code == 200
    assert "private" in response.get("Cache-Control", "") or "no-cache" in response.get("Cache-Control", "")


def test_no_template_sent_to_a_browser_has_inline_script_or_style():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        name = template.relative_to(TEMPLATES).as_posix()
        if name.startswith(PDF_ONLY):
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert not found, "\n".join(found)
