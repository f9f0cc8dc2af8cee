"""The national procedure package, pulled over HTTP on a schedule into drafts: nothing is
published, admins are told what changed, a second pull of the same package changes
nothing, and a bad package or an unreachable source is recorded, not half-imported."""

import http.server
import json
import threading
from pathlib import Path

import pytest
from django.core import mail

from accounts.constants import AccountKind, StaffRole
from national import services
from national.models import CatalogPull
from procedures.constants import Tier, VersionStatus
from procedures.models import ProcedureVersion
from tests.factories import AgencyFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "procedures" / "data" / "national_package_sample.json"


@pytest.fixture
def served():
    """A small HTTP server standing in for the national database: serves ``body``."""
    state = {"body": SAMPLE.read_bytes(), "status": 200}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = False  # server_close() waits for the requests being answered
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/goi-tin.json"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def province(settings):
    AgencyFactory(code="000.27.30.H56", name="Ủy ban nhân dân xã Quảng Phú", tier=Tier.COMMUNE)
    AgencyFactory(code="000.00.11.H56", name="Sở Tư pháp")
    AgencyFactory(code="000.00.38.H26", name="Sở Dân tộc và Tôn giáo")
    AgencyFactory(code="000.00.00.H26", name="Ủy ban nhân dân Thành phố Hà Nội")
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True, email="quantri@tinh.gov.vn")
    StaffAssignmentFactory(user=admin, agency=AgencyFactory(), role=StaffRole.PROVINCIAL_ADMIN)
    return admin


def test_a_pull_fills_drafts_and_tells_the_admins(served, province, settings):
    settings.NATIONAL_CATALOG = {**settings.NATIONAL_CATALOG, "URL": served["url"]}
    from national.tasks import catalog_pull

    assert catalog_pull.delay().get() == 3
    pull = CatalogPull.objects.get()
    assert pull.ok and sorted(pull.created_codes) == ["1.001193", "1.012644", "2.000635"]
    assert not ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).exists()  # nothing published
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["quantri@tinh.gov.vn"]
    assert "3 thủ tục thay đổi" in mail.outbox[0].subject and "1.001193" in mail.outbox[0].body
    # The same package again: nothing changes, nobody is bothered.
    assert services.catalog_pull().changed == 0
    assert CatalogPull.objects.count() == 2 and len(mail.outbox) == 1


def test_an_unreachable_source_or_a_bad_package_is_recorded_and_nothing_imported(served, province, settings):
    pull = services.catalog_pull(url="http://127.0.0.1:9/goi-tin.json")
    assert not pull.ok and "Không tải được gói tin" in pull.error
    served["body"] = b"{not json"
    pull = services.catalog_pull(url=served["url"])
    assert not pull.ok and "Gói tin không đọc được" in pull.error
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    records[1]["MATTHC"] = "khong-hop-le"
    served["body"] = json.dumps(records).encode()
    pull = services.catalog_pull(url=served["url"])
    assert not pull.ok and "MATTHC" in pull.error
    assert not ProcedureVersion.objects.exists()  # all or nothing
    assert len(mail.outbox) == 3 and "không thành công" in mail.outbox[-1].subject


def test_admins_review_what_a_pull_changed(client, served, province, settings):
    pull = services.catalog_pull(url=served["url"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/quan-tri/national/catalogpull/{pull.pk}/change/").content.decode()
    assert "1.001193" in page and "/quan-tri/procedures/procedureversion/" in page
    client.post("/quan-tri/national/catalogpull/", {"action": "mark_reviewed", "_selected_action": [pull.pk]})
    pull.refresh_from_db()
    assert pull.reviewed_at is not None
