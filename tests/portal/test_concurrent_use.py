"""Several people at once on the demo's server: citizens filing with phone photos, officers
receiving dossiers and the provincial admin publishing procedures, all at the same moment,
through the real pages of ``manage.py runserver`` (threaded, as ``make demo`` serves it).

On the embedded default the server and the test share one SQLite file (WAL, write
transactions that take the lock when they begin, a busy timeout: DECISIONS §33); before
those settings the demo answered such a morning with "database is locked" 503s and lost a
photo upload. On PostgreSQL the same journeys run against the test database. Either way:
no answer of 5xx, and everything each person did is in the database and on disk.
"""

import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils import timezone

from dossiers.constants import Status
from dossiers.models import Dossier, DossierDocument, StatusChange
from procedures.constants import VersionStatus
from procedures.models import ProcedureVersion
from tests.dossiers import files
from tests.dossiers.staff import submitted_dossier, version_for
from tests.e2e.officers import CITIZEN_PASSWORD, PASSWORD, with_password
from tests.factories import AdminFactory, AgencyFactory, CitizenFactory, online_draft
from tests.notifications.workers import BASE_DIR, free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CITIZENS = 5  # each files one dossier: two photos for the form, one for the optional document
DOSSIERS_TO_RECEIVE = 8  # shared by two one-stop officers
DRAFTS = 3  # published by the provincial admin
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the server needs the test database as a file (tests/settings.py)"
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER'] or 'postgres'}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def demo_server(tmp_path):
    """``manage.py runserver`` on the test database, tasks in-process and files under
    ``tmp_path``, as ``make demo`` runs it (less the national sync and the gateway)."""
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.portal.server_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": "",
        "SECOND_FACTOR_REQUIRED": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "SMS_BACKEND": "notifications.sms.FileBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"runserver did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    yield base, tmp_path
    # Every journey has ended (the test joined its threads); stop the server and wait for it
    # before the database is emptied.
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)
    assert "database is locked" not in log.read_text(errors="replace")


@dataclass
class Person:
    """One browser's worth of requests: a session with its cookies, and every answer's status."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)
    answers: list = field(default_factory=list)

    def get(self, path: str) -> requests.Response:
        response = self.session.get(self.base + path, timeout=60)
        self.answers.append(("GET", path, response.status_code))
        return response

    def post(self, path: str, data: dict, files=None, form_page: str | None = None) -> requests.Response:
        """POST as the page's form would: the CSRF token read from the page it is on."""
        page = self.get(form_page or path)
        token = CSRF.search(page.text)
        assert token, f"no CSRF token on {form_page or path} ({page.status_code})"
        response = self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            files=files,
            headers={"Referer": self.base + (form_page or path)},
            timeout=60,
        )
        self.answers.append(("POST", path, response.status_code))
        return response

    def log_in(self, username: str, password: str) -> None:
        response = self.post("/dang-nhap/", {"username": username, "password": password})
        assert "/dang-nhap/" not in response.url, (username, re.findall(r"errorlist[^<]*<li>([^<]*)", response.text))

    def server_errors(self) -> list:
        return [answer for answer in self.answers if answer[2] >= 500]


def _photo(name: str) -> tuple[str, bytes, str]:
    return (name, files.photo(name, size=(1600, 1200)).read(), "image/jpeg")


def _file_a_dossier(person: Person, citizen, version, start: threading.Barrier) -> str:
    person.log_in(citizen.username, CITIZEN_PASSWORD)
    start.wait(timeout=60)
    edit = person.get(f"/nop-ho-so/{version.procedure.national_code}/")
    assert edit.status_code == 200 and edit.url.endswith("/soan/"), (edit.status_code, edit.url)
    path = edit.url.removeprefix(person.base)
    documents = re.findall(r'name="file_(\d+)"', edit.text)
    assert len(documents) == 2, documents
    upload = [
        (f"file_{documents[0]}", _photo("to-khai-1.jpg")),
        (f"file_{documents[0]}", _photo("to-khai-2.jpg")),
        (f"file_{documents[1]}", _photo("giay-khac.jpg")),
    ]
    fields = {
        "applicant_name": citizen.full_name,
        "applicant_id_number": citizen.national_id,
        "applicant_phone": citizen.phone,
        "applicant_address": "Thôn 3, xã Hoằng Tiến",
        "f_noi_dung": "Đề nghị cấp bản sao",
        "op": "submit",
    }
    response = person.post(path, fields, files=upload)
    assert response.status_code == 200 and "/da-nop/" in response.url, (response.status_code, response.text[:500])
    return path


def _receive(person: Person, officer, codes: list[str], start: threading.Barrier) -> None:
    person.log_in(officer.username, PASSWORD)
    start.wait(timeout=60)
    assert person.get("/can-bo/").status_code == 200
    for code in codes:
        response = person.post(
            f"/can-bo/ho-so/{code}/thao-tac/receive/", {"note": ""}, form_page=f"/can-bo/ho-so/{code}/"
        )
        assert response.status_code == 200, (code, response.status_code, response.text[:500])


def _publish(person: Person, admin, drafts: list[int], start: threading.Barrier) -> None:
    person.log_in(admin.username, PASSWORD)
    start.wait(timeout=60)
    for pk in drafts:
        path = f"/quan-tri/procedures/procedureversion/{pk}/cong-bo/"
        response = person.post(path, {"effective_from": timezone.localdate().isoformat(), "_publish": "Công bố"})
        assert response.status_code == 200 and "cong-bo" not in response.url, (pk, response.status_code)


def test_citizens_officers_and_the_admin_at_once_get_no_server_error_and_lose_nothing(demo_server):
    base, folder = demo_server
    agency = AgencyFactory()
    version = version_for(agency)
    officers = [with_password(o) for o in _one_stop_officers(agency, 2)]
    to_receive = [submitted_dossier(agency, version=version).code for _ in range(DOSSIERS_TO_RECEIVE)]
    admin = with_password(AdminFactory())
    drafts = [online_draft().pk for _ in range(DRAFTS)]
    citizens = [with_password(CitizenFactory(), CITIZEN_PASSWORD) for _ in range(CITIZENS)]

    people = [Person(base) for _ in range(CITIZENS + len(officers) + 1)]
    start = threading.Barrier(len(people))
    half = DOSSIERS_TO_RECEIVE // 2
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        filings = [
            pool.submit(_file_a_dossier, person, citizen, version, start)
            for person, citizen in zip(people, citizens, strict=False)
        ]
        receipts = [
            pool.submit(_receive, people[CITIZENS + n], officer, to_receive[n * half : (n + 1) * half], start)
            for n, officer in enumerate(officers)
        ]
        publishing = pool.submit(_publish, people[-1], admin, drafts, start)
        for future in [*filings, *receipts, publishing]:
            future.result(timeout=300)

    errors = [error for person in people for error in person.server_errors()]
    assert not errors, errors
    assert sum(len(person.answers) for person in people) > 40

    # Every citizen's dossier is submitted with its three photos kept, and each document's
    # photos combined into its PDF (tasks run in-process on the demo's server).
    for citizen in citizens:
        dossier = Dossier.objects.get(owner=citizen)
        assert dossier.status == Status.SUBMITTED and dossier.code
        documents = list(dossier.documents.select_related("stored_file").prefetch_related("pages"))
        assert sorted(len(document.pages.all()) for document in documents) == [1, 2]
        for document in documents:
            assert document.render_state == DossierDocument.RenderState.READY
            paths = [Path(page.image.path) for page in document.pages.all()] + [Path(document.stored_file.file.path)]
            assert all(path.is_file() and path.stat().st_size > 1000 for path in paths), paths
    # Every dossier the officers received is received, once, with its step recorded.
    for code in to_receive:
        dossier = Dossier.objects.get(code=code)
        assert dossier.status == Status.RECEIVED
        assert StatusChange.objects.filter(dossier=dossier, action="receive").count() == 1
    # Every draft is published.
    assert set(ProcedureVersion.objects.filter(pk__in=drafts).values_list("status", flat=True)) == {
        VersionStatus.PUBLISHED
    }


def _one_stop_officers(agency, count: int) -> list:
    from accounts.constants import AccountKind, StaffRole
    from tests.factories import StaffAssignmentFactory, UserFactory

    officers = []
    for _ in range(count):
        officer = UserFactory(kind=AccountKind.OFFICER)
        StaffAssignmentFactory(user=officer, agency=agency, role=StaffRole.ONE_STOP_OFFICER, department="Một cửa")
        officers.append(officer)
    return officers
