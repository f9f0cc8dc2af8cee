"""PostgreSQL restarted under load: gunicorn serving the portal on a cluster of the test's
own, citizens' threads browsing and submitting, ``pg_ctl restart -m fast`` in the middle.

Every request either succeeds or gets the portal's clean Vietnamese error page (503 with
Retry-After while the database is unreachable, from ``portal.views.server_error``), none
hangs past the client's timeout, every request started after the restart succeeds (the
persistent connections are health-checked, CONN_HEALTH_CHECKS), and every submission the
portal acknowledged is in the database: lost writes 0.
"""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg2
import pytest
import requests

from tests.dossiers import files
from tests.faults.processes import PrivatePostgres, gunicorn, migrate, run_django
from tests.notifications.workers import PrivateRedis, kill

pytestmark = [pytest.mark.slow, pytest.mark.faults]

THREADS = 4
TIMEOUT = 20.0  # the client's: a request without an answer by then counts as hung
CLEAN_PAGES = ("Hệ thống tạm thời gián đoạn", "Hệ thống đang gặp sự cố")

SEED = """
from django.test import Client
from tests.dossiers.staff import agency_staff, submitted_dossier, version_for
from tests.factories import CitizenFactory

staff = agency_staff()
version = version_for(staff.agency, name="Cấp bản sao trích lục hộ tịch")
sessions = []
for _ in range({threads}):
    client = Client()
    client.force_login(CitizenFactory())
    sessions.append(client.cookies["sessionid"].value)
tracked = submitted_dossier(staff.agency, version=version)
print(json.dumps({{"procedure": version.procedure.national_code, "sessions": sessions,
                  "track": [tracked.code, tracked.owner.national_id[-4:]]}}))
"""


@dataclass
class Outcome:
    started: float
    what: str
    status: int | None  # None: no answer (connection dropped or timed out)
    clean: bool
    elapsed: float


@dataclass
class Load:
    base: str
    procedure: str
    track: list
    outcomes: list = field(default_factory=list)
    acknowledged: list = field(default_factory=list)  # dossiers whose submission answered "done"
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, session: requests.Session, what: str, method: str, url: str, **kwargs):
        started = time.monotonic()
        try:
            response = session.request(method, self.base + url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        except requests.RequestException:
            with self.lock:
                self.outcomes.append(Outcome(started, what, None, False, time.monotonic() - started))
            return None
        body = response.text
        ok = response.status_code in (200, 302)
        clean = ok or (
            response.status_code in (500, 503) and any(p in body for p in CLEAN_PAGES) and "Traceback" not in body
        )
        if response.status_code == 503:
            clean = clean and response.headers.get("Retry-After") == "30"
        with self.lock:
            self.outcomes.append(Outcome(started, what, response.status_code, clean, time.monotonic() - started))
        return response if ok else None

    def citizen(self, session_key: str) -> None:
        session = requests.Session()
        session.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")
        while not self.stop.is_set():
            self.call(session, "catalog", "GET", "/thu-tuc/?q=trich+luc")
            self.call(session, "tracking", "GET", f"/tra-cuu/?ma={self.track[0]}&so={self.track[1]}")
            self.call(session, "my dossiers", "GET", "/ho-so/")
            self.submit(session)

    def submit(self, session: requests.Session) -> None:
        started = self.call(session, "start", "GET", f"/nop-ho-so/{self.procedure}/")
        if started is None:
            return
        edit = started.headers["Location"]
        page = self.call(session, "draft page", "GET", edit)
        if page is None:
            return
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        fields = dict(re.findall(r'name="(applicant_(?:name|id_number|phone))"[^>]*value="([^"]*)"', page.text))
        upload = files.pdf()
        doc = re.search(r'name="(file_\d+)"', page.text).group(1)
        done = self.call(
            session,
            "submit",
            "POST",
            edit,
            data={
                **fields,
                "applicant_address": "Thôn 3",
                "f_noi_dung": "Cấp bản sao",
                "op": "submit",
                "csrfmiddlewaretoken": token,
            },
            files={doc: (upload.name, upload.read(), "application/pdf")},
            headers={"Referer": self.base + edit},
        )
        if done is not None and done.headers.get("Location", "").endswith("/da-nop/"):
            with self.lock:
                self.acknowledged.append(edit.strip("/").split("/")[1])


@pytest.fixture
def cluster():
    if not PrivatePostgres.available():
        pytest.skip("needs PostgreSQL's server binaries (initdb, pg_ctl) to run a cluster of the test's own")
    pg = PrivatePostgres().init()
    pg.start()
    yield pg
    pg.remove()


def test_postgres_restarted_under_load_fails_cleanly_recovers_and_loses_no_write(cluster, tmp_path):
    began = time.monotonic()
    cluster.createdb()
    (tmp_path / "redis").mkdir()
    redis = PrivateRedis(tmp_path / "redis").start()
    env = {
        "DATABASE_URL": cluster.url(),
        "REDIS_URL": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "notifications.sms.FileBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    web, threads = None, []
    try:
        migrate(env)
        seeded = run_django(SEED.format(threads=THREADS), {**env, "REDIS_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true"})
        web, port = gunicorn({**env, "DJANGO_SETTINGS_MODULE": "tests.faults.web_settings"}, tmp_path / "web.log")
        load = Load(base=f"http://127.0.0.1:{port}", procedure=seeded["procedure"], track=seeded["track"])
        threads += [threading.Thread(target=load.citizen, args=(key,), daemon=True) for key in seeded["sessions"]]
        for thread in threads:
            thread.start()
        time.sleep(4)
        restart_began = time.monotonic()
        cluster.restart()  # every session ended at once, the server down for a moment, then up again
        restart_ended = time.monotonic()
        time.sleep(6)
    finally:  # the citizens stop (even when the test failed half-way), then the server
        if threads:
            load.stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=TIMEOUT + 5)
        if web is not None:
            kill(web)
        redis.stop()
    assert not any(t.is_alive() for t in threads)

    outcomes = load.outcomes
    succeeded = [o for o in outcomes if o.status in (200, 302)]
    failed_cleanly = [o for o in outcomes if o.status not in (200, 302) and o.clean]
    unclean = [o for o in outcomes if not o.clean]
    after = [o for o in outcomes if o.started > restart_ended + 0.5]
    assert not unclean, Counter((o.what, o.status) for o in unclean)  # no traceback, no dropped or hung request
    assert max(o.elapsed for o in outcomes) < TIMEOUT
    assert failed_cleanly, "the restart should have cut some requests off (else the test proves nothing)"
    assert {o.status for o in failed_cleanly} <= {503}, Counter(o.status for o in failed_cleanly)
    assert len(after) > 20 and all(o.status in (200, 302) for o in after), Counter(o.status for o in after)
    assert load.acknowledged and len(set(load.acknowledged)) == len(load.acknowledged)

    with psycopg2.connect(cluster.url()) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT public_id::text, status, code FROM dossiers_dossier WHERE public_id::text = ANY(%s)",
            (load.acknowledged,),
        )
        stored = {public_id: (status, code) for public_id, status, code in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE status = 1")
        submitted_in_db = cursor.fetchone()[0] - 1  # less the one seeded for tracking
    lost = [p for p in load.acknowledged if stored.get(p, (None, ""))[0] != 1 or not stored[p][1]]
    print(
        f"\nPostgreSQL restarted under load ({restart_ended - restart_began:.1f} s): {len(outcomes)} requests by "
        f"{THREADS} citizens, {len(succeeded)} succeeded, {len(failed_cleanly)} failed cleanly (503 page), "
        f"0 unclean, slowest {max(o.elapsed for o in outcomes):.2f} s, {len(after)} after the restart all "
        f"succeeded; {len(load.acknowledged)} submissions acknowledged, {submitted_in_db} in the database; "
        f"lost writes: {len(lost)}; test time {time.monotonic() - began:.0f} s"
    )
    assert lost == []  # what was lost: nothing
