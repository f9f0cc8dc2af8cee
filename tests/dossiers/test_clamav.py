"""Virus scanning against a real clamd (ClamAV's daemon), started by the test with a private
configuration and a private signature database holding only the EICAR test string, so no
signature download is needed. Clean files pass, EICAR is refused, and the scan fails
closed: clamd stopped, silent past the timeout or answering nonsense refuses the upload."""

import hashlib
import logging
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from dossiers import services
from portal import clamav, uploads
from tests.dossiers import files
from tests.dossiers.test_views import citizen_client, post_edit, start_dossier  # noqa: F401 - fixtures
from tests.factories import CitizenFactory, online_version

CLAMD = shutil.which("clamd", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")
pytestmark = pytest.mark.skipif(CLAMD is None, reason="clamd is not installed (apt-get install clamav-daemon)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clamd:
    """One clamd process of the test's own: TCP on 127.0.0.1 and a free port, its database,
    log and temporary files under the test's directory, no Unix socket, in the foreground."""

    def __init__(self, root):
        self.root = root
        self.port = free_port()
        db = root / "db"
        db.mkdir(parents=True, exist_ok=True)
        # Two signatures for the EICAR test file: its MD5 (the whole file) and its bytes
        # anywhere in a file (an .ndb body signature), as the official database has.
        (db / "eicar.hdb").write_text(f"{hashlib.md5(files.EICAR).hexdigest()}:{len(files.EICAR)}:Eicar-Test-File\n")
        (db / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:*:{files.EICAR.hex()}\n")
        self.conf = root / "clamd.conf"
        self.conf.write_text(
            "\n".join(
                [
                    f"TCPSocket {self.port}",
                    "TCPAddr 127.0.0.1",
                    f"DatabaseDirectory {db}",
                    f"TemporaryDirectory {root}",
                    f"LogFile {root / 'clamd.log'}",
                    f"PidFile {root / 'clamd.pid'}",
                    "Foreground yes",
                    "StreamMaxLength 20M",
                    "",
                ]
            )
        )
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [CLAMD, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        with override_settings(CLAMAV_SOCKET="", CLAMAV_HOST="127.0.0.1", CLAMAV_PORT=self.port, CLAMAV_TIMEOUT=2):
            while not clamav.ping():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.root / "clamd.log").read_text() if (self.root / "clamd.log").exists() else ""
                    self.stop()
                    pytest.fail(f"clamd did not answer PING: {log[-2000:]}")
                time.sleep(0.2)
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def settings(self, **extra):
        return override_settings(
            CLAMAV_ENABLED=True, CLAMAV_SOCKET="", CLAMAV_HOST="127.0.0.1", CLAMAV_PORT=self.port, **extra
        )


@pytest.fixture(scope="module")
def clamd(tmp_path_factory):
    daemon = Clamd(tmp_path_factory.mktemp("clamd")).start()
    yield daemon
    daemon.stop()


@pytest.fixture
def clamav_log():
    """What portal.clamav logs (the suite runs with pytest's logging plugin off)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("portal.clamav")
    # An earlier test may have silenced logging (``logging.disable``, or a Celery worker
    # started in-process disabling existing loggers): hear this one whatever happened before.
    saved = logger.disabled, logger.level, logging.root.manager.disable
    logger.disabled, logger.level = False, logging.DEBUG
    logging.disable(logging.NOTSET)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    logger.disabled, logger.level = saved[:2]
    logging.disable(saved[2])


def eicar_photo():
    """A real photo carrying the EICAR string in a comment: it passes every other check,
    so only the virus scan can refuse it."""
    return files.upload("anh.jpg", files.jpeg_with_segment(0xFE, files.EICAR))


def test_the_raw_answer_shape_is_what_the_check_expects(clamd):
    """The classic bug: a virus is ``{'stream': ('FOUND', name)}``, a truthy dict."""
    import io

    with clamd.settings():
        assert clamav.scanner().instream(io.BytesIO(b"%PDF-1.4 clean")) == {"stream": ("OK", None)}
        found = clamav.scanner().instream(io.BytesIO(files.EICAR))
    assert found["stream"][0] == "FOUND" and "Eicar" in found["stream"][1]


@pytest.mark.django_db
def test_clean_pdf_and_photo_are_accepted_and_eicar_refused(clamd, clamav_log):
    version = online_version()
    user = CitizenFactory()
    dossier = services.dossier_start(user=user, version=version, agency=services.filing_agencies(version)[0])
    doc, other = services.required_documents_for(dossier)[:2]
    with clamd.settings():
        services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=user)
        services.document_add_files(dossier=dossier, required_document=other, files=[files.photo()], actor=user)
        with pytest.raises(ValidationError) as exc:
            uploads.inspect(eicar_photo(), uploads.ATTACHMENT)
        assert exc.value.code == "virus" and "mã độc" in exc.value.messages[0]
        pdf = files.upload("giay-to.pdf", files.pdf_bytes() + b"\n" + files.EICAR + b"\n")
        with pytest.raises(ValidationError) as exc:
            services.document_add_files(dossier=dossier, required_document=doc, files=[pdf], actor=user)
        assert "mã độc" in exc.value.messages[0]
    assert dossier.documents.get(required_document=doc).stored_file.page_count == 1  # the clean one stayed
    assert any("Eicar" in r.getMessage() for r in clamav_log)
    # Without scanning (the default), the same photo passes: the scan is what refused it.
    assert uploads.inspect(eicar_photo(), uploads.ATTACHMENT).kind is uploads.JPEG


@pytest.mark.django_db
def test_clamd_stopped_fails_closed(tmp_path, clamav_log):
    daemon = Clamd(tmp_path).start()
    try:
        with daemon.settings():
            assert uploads.inspect(files.pdf(), uploads.ATTACHMENT).kind is uploads.PDF
            daemon.stop()
            with pytest.raises(ValidationError) as exc:
                uploads.inspect(files.pdf(), uploads.ATTACHMENT)
    finally:
        daemon.stop()
    assert exc.value.code == "scan_unavailable"
    assert "Chưa kiểm tra virus được" in exc.value.messages[0] and "thử lại" in exc.value.messages[0]
    assert any(r.levelno == logging.ERROR and "could not scan" in r.getMessage() for r in clamav_log)


class FakeClamd:
    """A server that accepts clamd connections and then misbehaves: reads everything and
    never answers (``answer=None``), or answers the given bytes."""

    def __init__(self, answer: bytes | None, family=socket.AF_INET, path=None):
        self.answer = answer
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(path or ("127.0.0.1", 0))
        self.server.listen(5)
        self.address = self.server.getsockname()
        self.stopping = threading.Event()
        self.talks: list[threading.Thread] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.server.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            talk = threading.Thread(target=self.talk, args=(conn,), daemon=True)
            talk.start()
            self.talks.append(talk)

    def talk(self, conn):
        conn.settimeout(0.2)
        with conn:
            received = b""
            while not self.stopping.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    chunk = None
                except OSError:
                    return
                if chunk == b"":
                    return
                if chunk:
                    received += chunk
                if self.answer is not None and received.endswith(b"\x00\x00\x00\x00"):
                    conn.sendall(self.answer)
                    return

    def close(self):
        """Stop accepting and talking: every thread of it ends within 0.2 s (its timeouts)."""
        self.stopping.set()
        self.server.close()
        self.thread.join(2)
        for talk in self.talks:
            talk.join(2)
        assert not any(t.is_alive() for t in (self.thread, *self.talks)), "the fake clamd did not stop"


def fake_settings(fake: FakeClamd, *, timeout: float):
    port = fake.address[1]
    return override_settings(CLAMAV_ENABLED=True, CLAMAV_SOCKET="", CLAMAV_PORT=port, CLAMAV_TIMEOUT=timeout)


def test_clamd_that_never_answers_is_refused_after_the_timeout(clamav_log):
    fake = FakeClamd(answer=None)
    try:
        with fake_settings(fake, timeout=1):
            started = time.monotonic()
            with pytest.raises(ValidationError) as exc:
                uploads.inspect(files.pdf(), uploads.ATTACHMENT)
            waited = time.monotonic() - started
    finally:
        fake.close()
    assert exc.value.code == "scan_unavailable"
    assert 0.9 <= waited < 5
    assert any(r.levelno == logging.ERROR for r in clamav_log)


@pytest.mark.parametrize(
    "answer",
    [
        b"stream: Can't allocate memory ERROR\n",
        b"INSTREAM size limit exceeded. ERROR\n",
        b"HELLO\n",
        b"stream: OK FOUND\n",
        b"\n",
        b"\xff\xfe\n",
    ],
)
def test_any_unexpected_answer_fails_closed(answer, clamav_log):
    fake = FakeClamd(answer=answer)
    try:
        with fake_settings(fake, timeout=2), pytest.raises(ValidationError) as exc:
            uploads.inspect(files.pdf(), uploads.ATTACHMENT)
    finally:
        fake.close()
    assert exc.value.code in {"scan_unavailable", "virus"}
    assert exc.value.code == "scan_unavailable" or answer == b"stream: OK FOUND\n"
    assert clamav_log


def test_a_unix_socket_is_used_when_configured(tmp_path):
    path = str(tmp_path / "clamd.sock")
    fake = FakeClamd(answer=b"stream: OK\n", family=socket.AF_UNIX, path=path)
    try:
        with override_settings(CLAMAV_ENABLED=True, CLAMAV_SOCKET=path, CLAMAV_PORT=1, CLAMAV_TIMEOUT=2):
            assert uploads.inspect(files.pdf(), uploads.ATTACHMENT).kind is uploads.PDF
    finally:
        fake.close()


@pytest.mark.django_db
def test_the_filing_page_and_the_api_show_scan_refusals_at_the_field(citizen_client, clamd):  # noqa: F811
    from tests.api.helpers import key_client

    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    with clamd.settings():
        response = post_edit(citizen_client, dossier, f_noi_dung="Giữ nguyên", **{f"file_{doc.pk}": [eicar_photo()]})
    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="err_doc_{doc.pk}"' in body and "mã độc" in body and "Giữ nguyên" in body
    with override_settings(CLAMAV_ENABLED=True, CLAMAV_SOCKET="", CLAMAV_PORT=free_port(), CLAMAV_TIMEOUT=1):
        response = post_edit(citizen_client, dossier, f_noi_dung="Vẫn giữ", **{f"file_{doc.pk}": [files.pdf()]})
    body = response.content.decode()
    assert response.status_code == 400 and "Chưa kiểm tra virus được" in body and "Vẫn giữ" in body
    assert not dossier.documents.exists()

    api, _ = key_client(CitizenFactory())
    version = online_version()
    agency = services.filing_agencies(version)[0]
    created = api.post(
        "/api/v1/dossiers/", {"procedure": version.procedure.national_code, "agency": agency.pk}, format="json"
    ).json()
    document = next(d for d in created["documents"] if d["required"])
    with clamd.settings():
        answer = api.post(
            f"/api/v1/dossiers/{created['id']}/documents/{document['id']}/files/", {"files": [eicar_photo()]}
        )
    assert answer.status_code == 400 and "mã độc" in answer.json()["files"][0]
