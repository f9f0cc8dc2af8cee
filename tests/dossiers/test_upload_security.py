"""Uploads that cannot hurt us (portal.uploads): content and name agree, polyglots,
active PDFs (plain and in object streams), decompression bombs, hostile names, empty
files; each refusal reaches the citizen at the field with what was typed kept."""

import html
import io
import os
import re
import resource
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

import dossiers.attachments  # noqa: F401 - registers the HEIF opener
from dossiers import processing, services
from dossiers.constants import Status
from dossiers.models import DocumentPage, StoredFile
from portal import uploads
from tests.dossiers import files
from tests.dossiers.refusals import REFUSALS
from tests.dossiers.test_views import citizen_client, post_edit, start_dossier  # noqa: F401 - fixtures
from tests.factories import CitizenFactory, online_version


def inspect(name: str, content: bytes, use=uploads.ATTACHMENT) -> uploads.Inspected:
    return uploads.inspect(files.upload(name, content), use)


def refused(name: str, content: bytes, use=uploads.ATTACHMENT) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        inspect(name, content, use)
    return exc.value


class NamedBytes(io.BytesIO):
    """An upload with exactly the name a client sent (Django's UploadedFile already
    drops path parts on its own; this proves the check does not rely on that)."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name, self.size = name, len(content)


def heic_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), "white").save(buf, "HEIF")
    return buf.getvalue()


# --- 1. the allow-list: content and name agree ------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        ("anh.jpg", files.jpeg_bytes, "image/jpeg"),
        ("ANH.JPG", files.jpeg_bytes, "image/jpeg"),
        ("anh.jpeg", files.jpeg_bytes, "image/jpeg"),
        ("anh.Jpeg", files.jpeg_bytes, "image/jpeg"),
        ("anh.png", files.png_bytes, "image/png"),
        ("giay-to.pdf", files.pdf_bytes, "application/pdf"),
        ("GIAY TO.PDF", files.pdf_bytes, "application/pdf"),
        ("IMG_0001.HEIC", heic_bytes, "image/heic"),
        ("IMG_0001.heif", heic_bytes, "image/heic"),
        # One family: a chat app's JPEG saved as .png is still a photo we decode ourselves.
        ("anh-zalo.png", files.jpeg_bytes, "image/jpeg"),
    ],
)
def test_accepted_kinds_and_extensions(name, make, mime):
    content = make()
    got = inspect(name, content)
    assert got.kind.mime == mime
    assert got.content == content


@pytest.mark.parametrize(
    ("name", "make", "code", "says"),
    [
        ("giay-to.pdf", files.jpeg_bytes, "mismatch", ["giay-to.pdf", "đuôi .pdf", "ảnh JPEG", ".jpg"]),
        ("anh.jpg", files.pdf_bytes, "mismatch", ["anh.jpg", "nội dung là PDF", ".pdf"]),
        ("anh.heic", files.pdf_bytes, "mismatch", ["anh.heic", "nội dung là PDF"]),
        ("anh", files.jpeg_bytes, "extension", ["“anh”", "không có phần đuôi", ".jpg", "Chỉ nhận"]),
        ("virus.exe", files.jpeg_bytes, "extension", ["virus.exe", "đuôi .exe", "Chỉ nhận: .pdf"]),
        ("trang.html", files.jpeg_bytes, "extension", ["trang.html", "đuôi .html"]),
        ("anh.jpg", lambda: b"MZ\x90\x00\x03" + b"\x00" * 500, "type", ["anh.jpg", "không phải PDF"]),
        ("anh.jpg", lambda: b"<!doctype html><script>alert(1)</script>", "type", ["anh.jpg", "không phải PDF"]),
        ("anh.jpg", lambda: files.zip_bytes(), "type", ["anh.jpg"]),
    ],
)
def test_content_and_name_must_agree(name, make, code, says):
    exc = refused(name, make())
    assert exc.code == code
    for text in says:
        assert text in exc.messages[0]


def test_each_use_has_its_own_allow_list():
    assert refused("anh.jpg", files.jpeg_bytes(), uploads.RESULT).code == "type"
    assert inspect("ket-qua.pdf", files.pdf_bytes(), uploads.RESULT).kind is uploads.PDF
    assert refused("mau.jpg", files.jpeg_bytes(), uploads.CATALOG_FORM).code == "type"


# --- 2. polyglots -----------------------------------------------------------------------


def jar() -> bytes:
    return files.zip_bytes("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nMain-Class: Evil\n")


POLYGLOTS = {
    "jpeg + zip": ("anh.jpg", lambda: files.jpeg_bytes() + files.zip_bytes()),
    "GIFAR-style jpeg + jar": ("anh.jpg", lambda: files.jpeg_bytes() + jar()),
    "png + zip": ("anh.png", lambda: files.png_bytes() + files.zip_bytes()),
    "heic + zip": ("anh.heic", lambda: heic_bytes() + files.zip_bytes()),
    "jpeg + pdf": ("anh.jpg", lambda: files.jpeg_bytes() + files.pdf_bytes()),
    "jpeg + html": ("anh.jpg", lambda: files.jpeg_bytes() + b"<html><body><script>alert(1)</script>"),
    "jpeg + php": ("anh.jpg", lambda: files.jpeg_bytes() + b"<?php system($_GET['c']); ?>"),
    "jpeg + program": ("anh.jpg", lambda: files.jpeg_bytes() + b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    "jpeg, script in a comment": ("anh.jpg", lambda: files.jpeg_with_segment(0xFE, b"<script>alert(1)</script>")),
    "jpeg, html in APP1": ("anh.jpg", lambda: files.jpeg_with_segment(0xE1, b"XMP\x00<html><body onload=x>")),
    "jpeg, pdf header in the first KB": ("anh.jpg", lambda: files.jpeg_with_segment(0xFE, b"%PDF-1.4\n1 0 obj")),
    "png, script in tEXt": ("anh.png", lambda: files.png_with_chunk(b"tEXt", b"Comment\x00<script>x()</script>")),
    "png, script in zTXt": (
        "anh.png",
        lambda: files.png_with_chunk(b"zTXt", b"Comment\x00\x00" + __import__("zlib").compress(b"<svg onload=x>")),
    ),
    "png, iframe in a private chunk": ("anh.png", lambda: files.png_with_chunk(b"prVt", b"<iframe src=//x>")),
    "pdf + zip": ("giay-to.pdf", lambda: files.pdf_bytes() + files.zip_bytes()),
    "pdf + html after %%EOF": ("giay-to.pdf", lambda: files.pdf_bytes() + b"\n<html><script>alert(1)</script>"),
    "pdf + program after %%EOF": ("giay-to.pdf", lambda: files.pdf_bytes() + b"\x7fELF\x02\x01\x01" + b"\0" * 64),
}


@pytest.mark.parametrize("case", list(POLYGLOTS))
def test_polyglots_are_refused(case):
    name, make = POLYGLOTS[case]
    exc = refused(name, make())
    assert exc.code == "polyglot", exc.messages
    assert name in exc.messages[0] and "lý do an toàn" in exc.messages[0]


def test_a_pdf_whose_first_kilobyte_is_html_is_not_a_pdf():
    content = b"<html><head><script>alert(document.cookie)</script></head>\n" + b" " * 400 + files.pdf_bytes()
    assert PdfReader(io.BytesIO(content)).pages  # a lenient reader still opens it as a PDF
    exc = refused("giay-to.pdf", content)
    assert exc.code == "type"


def test_benign_bytes_after_a_photo_are_cut_so_the_stored_original_is_one_image():
    photo = files.jpeg_bytes()
    motion = photo + b"\x00" * 16 + b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(4000)
    got = inspect("motion.jpg", motion)
    assert got.content == photo and got.notes
    mpo = files.mpo_bytes()
    got = inspect("camera.jpg", mpo)
    assert len(got.content) < len(mpo)
    with Image.open(io.BytesIO(got.content)) as img:
        img.load()
        assert img.size == (400, 300) and img.getpixel((10, 10)) == (255, 255, 255)
    assert got.content.endswith(b"\xff\xd9") and got.content.count(b"\xff\xd8\xff") == 1  # the red one is gone
    png = files.png_bytes()
    assert inspect("anh.png", png + b"\x00" * 100).content == png


@pytest.mark.django_db
def test_the_stored_photo_and_pdf_are_not_readable_as_anything_else():
    version = online_version()
    user = CitizenFactory()
    dossier = services.dossier_start(user=user, version=version, agency=services.filing_agencies(version)[0])
    doc, other = services.required_documents_for(dossier)[:2]
    photo = files.jpeg_bytes()
    trailer = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
    services.document_add_files(
        dossier=dossier, required_document=doc, files=[files.upload("anh.jpg", photo + trailer)], actor=user
    )
    page = dossier.documents.get(required_document=doc).pages.get()
    stored = page.image.read()
    assert stored == photo and page.size == len(photo)
    assert not zipfile.is_zipfile(io.BytesIO(stored))
    with pytest.raises(ValidationError, match="ZIP"):
        services.document_add_files(
            dossier=dossier,
            required_document=other,
            files=[files.upload("giay-to.pdf", files.pdf_bytes() + files.zip_bytes())],
            actor=user,
        )
    assert not StoredFile.objects.filter(owner=user).exists()


# --- 3. PDFs with active content --------------------------------------------------------

HOSTILE_PDFS = {
    "javascript": "pdf_javascript",  # /Names /JavaScript tree
    "open_javascript": "pdf_javascript",  # /OpenAction running /JS
    "launch": "pdf_launch",
    "page_aa": "pdf_action",  # a page's /AA opening a URL by itself
    "embedded": "pdf_embedded",
    "xfa": "pdf_xfa",
}
MARKERS = {
    "javascript": b"/JavaScript",
    "open_javascript": b"/OpenAction",
    "launch": b"/Launch",
    "page_aa": b"/AA",
    "embedded": b"/EmbeddedFiles",
    "xfa": b"/XFA",
}


@pytest.mark.parametrize("layout", ["plain", "object streams"])
@pytest.mark.parametrize("kind", list(HOSTILE_PDFS))
def test_pdfs_with_active_content_are_refused(kind, layout):
    content = files.hostile_pdf(kind)
    if layout == "object streams":
        content = files.with_object_streams(content)
        assert MARKERS[kind] not in content  # a byte search would let it through
        assert b"/ObjStm" in content
    else:
        assert MARKERS[kind] in content
    PdfReader(io.BytesIO(content)).pages[0]  # a real, readable PDF
    exc = refused("to-khai.pdf", content)
    assert exc.code == HOSTILE_PDFS[kind]
    assert "to-khai.pdf" in exc.messages[0] and "Lưu dưới dạng PDF" in exc.messages[0]


@pytest.mark.parametrize("layout", ["plain", "object streams"])
@pytest.mark.parametrize("kind", ["open_destination", "link"])
def test_ordinary_pdf_features_pass(kind, layout):
    content = files.hostile_pdf(kind)
    if layout == "object streams":
        content = files.with_object_streams(content)
    assert inspect("to-khai.pdf", content).page_count == 1


def test_active_pdf_officer_result_is_refused_at_its_field():
    with pytest.raises(ValidationError) as exc:
        processing._store_result_file(dossier=None, upload=files.upload("ket-qua.pdf", files.hostile_pdf("launch")))
    assert list(exc.value.message_dict) == ["file"]
    assert "Launch" in exc.value.message_dict["file"][0]


# --- 4. decompression bombs and huge dimensions -----------------------------------------

BOMBS = {
    "png 30000×30000": ("anh.png", lambda: files.png_declaring(30_000, 30_000), "30000×30000"),
    "png strip 100000×1": ("anh.png", lambda: files.png_declaring(100_000, 1), "100000×1"),
    "png 8000×8000 (64 MP)": ("anh.png", lambda: files.png_declaring(8_000, 8_000), "8000×8000"),
    "jpeg 60000×60000": ("anh.jpg", lambda: files.jpeg_declaring(60_000, 60_000), "60000×60000"),
    "jpeg strip 1×20000": ("anh.jpg", lambda: files.jpeg_declaring(1, 20_000), "1×20000"),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_huge_dimensions_are_refused_from_the_header(case):
    name, make, dims = BOMBS[case]
    content = make()
    started = time.perf_counter()
    exc = refused(name, content)
    assert time.perf_counter() - started < 0.2  # nothing was decoded
    assert exc.code == "dimensions" and dims in exc.messages[0]


def _in_child_with_memory_cap(work, extra_bytes: int) -> int:
    """Run ``work`` in a forked child whose address space may grow by only
    ``extra_bytes``; its exit code: 0 refused as expected, 3 out of memory, 4 other."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 4
        try:
            with open("/proc/self/status") as status:
                vm = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
            resource.setrlimit(resource.RLIMIT_AS, (vm + extra_bytes, vm + extra_bytes))
            code = work()
        except MemoryError:
            code = 3
        except BaseException:  # noqa: BLE001 - any other failure is a distinct exit code
            code = 4
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_bomb_is_refused_without_the_memory_a_decode_needs():
    bomb = files.png_declaring(30_000, 30_000)  # ~110 KB on disk, 900 MB decoded
    assert len(bomb) < 200_000

    def check() -> int:
        try:
            uploads.inspect(files.upload("anh.png", bomb), uploads.ATTACHMENT)
        except ValidationError as exc:
            return 0 if exc.code == "dimensions" else 5
        return 6

    def decode() -> int:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(io.BytesIO(bomb)) as img:
            img.load()
        return 7

    cap = 64 * 1024 * 1024
    assert _in_child_with_memory_cap(check, cap) == 0
    # The control: decoding the same file under the same cap runs out of memory.
    assert _in_child_with_memory_cap(decode, cap) == 3


# --- 5. hostile names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Desktop\\scan.pdf", "scan.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("scan.pdf\x00.exe", "scan.pdf.exe"),
        ("to\r\nkhai.pdf", "to khai.pdf"),
        ("ho\x1b[31mso\x07.pdf", "ho[31mso.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),  # shows as "hoa-donexe.pdf" with the override
        ("an\u200bh.jpg", "anh.jpg"),
        ("...", uploads.UNNAMED),
        ("..", uploads.UNNAMED),
        ("\x00\x01\x02", uploads.UNNAMED),
        ("", uploads.UNNAMED),
        ("  Giấy khai sinh .pdf ", "Giấy khai sinh .pdf"),
        ("Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
    ],
)
def test_display_names_are_made_safe(raw, shown):
    assert uploads.display_name(raw) == shown


def test_a_very_long_name_is_cut_keeping_its_extension():
    shown = uploads.display_name("ả" * 5000 + ".pdf")
    assert len(shown) <= uploads.NAME_MAX_CHARS and shown.endswith("….pdf")
    assert inspect("a" * 300 + ".pdf", files.pdf_bytes()).name.endswith(".pdf")


@pytest.mark.parametrize(
    ("raw", "accepted", "code"),
    [
        ("../../etc/passwd.pdf", True, None),
        ("C:\\fakepath\\scan.pdf", True, None),
        ("scan.pdf\x00.exe", False, "extension"),  # NUL trick: the real ending counts
        ("hoa-don\u202efdp.pdf", True, None),
        ("hoa-don\u202efdp.exe", False, "extension"),  # RTL trick: the real ending counts
        ("....", False, "extension"),  # nothing usable: shown as "tệp không tên", asked to rename
    ],
)
def test_hostile_names_never_decide_the_type(raw, accepted, code):
    upload = NamedBytes(raw, files.pdf_bytes())
    if accepted:
        got = uploads.inspect(upload, uploads.ATTACHMENT)
        assert got.kind is uploads.PDF and "/" not in got.name and "\\" not in got.name
        return
    with pytest.raises(ValidationError) as exc:
        uploads.inspect(upload, uploads.ATTACHMENT)
    message = exc.value.messages[0]
    assert exc.value.code == code
    assert "\x00" not in message and "\u202e" not in message
    assert uploads.display_name(raw) in message


@pytest.mark.django_db
def test_stored_paths_never_come_from_the_name_and_downloads_are_sanitised(client):
    version = online_version()
    user = CitizenFactory()
    dossier = services.dossier_start(user=user, version=version, agency=services.filing_agencies(version)[0])
    doc, other = services.required_documents_for(dossier)[:2]
    hostile = NamedBytes('../../../etc/"a\r\nSet-Cookie: x=1\u202e.pdf', files.pdf_bytes())
    services.document_add_files(dossier=dossier, required_document=doc, files=[hostile], actor=user)
    services.document_add_files(
        dossier=dossier, required_document=other, files=[NamedBytes("../../x/../p.jpg", files.jpeg_bytes())], actor=user
    )
    item = dossier.documents.get(required_document=doc).stored_file
    assert re.fullmatch(rf"wallet/{user.pk}/[0-9a-f]{{32}}\.pdf", item.file.name)
    page = dossier.documents.get(required_document=other).pages.get()
    assert re.fullmatch(rf"pages/{dossier.public_id}/[0-9a-f]{{32}}\.jpg", page.image.name)
    # The title an admin typed becomes the download name: quotes, CR/LF, RTL made safe.
    StoredFile.objects.filter(pk=item.pk).update(title='Tờ khai "mẫu"\r\nSet-Cookie: a=1\u202e/..\\x')
    client.force_login(user)
    response = client.get(reverse("dossiers:file", args=[item.public_id]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith('inline; filename="') and "filename*=UTF-8''" in header
    assert "\r" not in header and "\n" not in header and "\u202e" not in header
    ascii_part = header.split('filename="', 1)[1].split('"', 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9._ ()-]+", ascii_part) and ascii_part.endswith(".pdf")
    assert "Set-Cookie" not in response.cookies


def test_content_disposition_follows_rfc_6266():
    header = uploads.content_disposition("Giấy khai sinh bản sao.pdf", inline=False)
    assert header == (
        'attachment; filename="Giay khai sinh ban sao.pdf"; '
        "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20b%E1%BA%A3n%20sao.pdf"
    )
    assert uploads.content_disposition("...", inline=True).startswith('inline; filename="tep khong ten"')


# --- 6. empty files ---------------------------------------------------------------------


def test_a_zero_byte_file_is_refused():
    exc = refused("anh.jpg", b"")
    assert exc.code == "empty" and "“anh.jpg” rỗng" in exc.messages[0]


# --- catalog form templates (admins) ----------------------------------------------------


def office_file(main: str, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.django_db
def test_catalog_form_templates_go_through_the_same_check():
    from procedures.models import RequiredDocument
    from tests.factories import DraftVersionFactory

    draft = DraftVersionFactory(name="Thủ tục có mẫu đơn")

    def clean(name: str, content: bytes):
        doc = RequiredDocument(version=draft, name="Tờ khai", form_file=SimpleUploadedFile(name, content))
        doc.clean()
        return doc

    docx = office_file("word/document.xml")
    assert clean("to-khai.docx", docx)
    refusals = {
        "macro": ("to-khai.docx", office_file("word/document.xml", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
        "mismatch": ("to-khai.pdf", docx),
        "pdf_javascript": ("to-khai.pdf", files.hostile_pdf("open_javascript")),
        "type": ("to-khai.docx", b"<html><script>x()</script></html>"),
        "bomb": ("to-khai.docx", office_file("word/document.xml", {"word/big.xml": b"\x00" * (101 << 20)})),
    }
    for expected, (name, content) in refusals.items():
        with pytest.raises(ValidationError) as exc:
            clean(name, content)
        assert list(exc.value.message_dict) == ["form_file"], expected
        assert name in exc.value.message_dict["form_file"][0], expected
    doc = clean("../../Tờ khai\u202e mẫu 01.docx", docx)
    doc.save()
    assert re.fullmatch(r"catalog/forms/[\d.]+/v\d+/[0-9a-f]{12}/to-khai-mau-01\.docx", doc.form_file.name)
    doc.form_file.delete(save=False)


# --- 8. every refusal at its field, with what was typed kept ----------------------------

FIELD_CASES = {
    "polyglot": lambda: files.upload("anh.jpg", files.jpeg_bytes() + files.zip_bytes()),
    "mismatch": lambda: files.upload("giay-to.pdf", files.jpeg_bytes()),
    "javascript": lambda: files.upload("to-khai.pdf", files.with_object_streams(files.hostile_pdf("javascript"))),
    "bomb": lambda: files.upload("anh.png", files.png_declaring(30_000, 30_000)),
    "empty": lambda: files.upload("anh.jpg", b""),
    "no extension": lambda: files.upload("anh", files.jpeg_bytes()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(FIELD_CASES))
def test_the_filing_page_shows_each_refusal_at_the_document(citizen_client, case):  # noqa: F811
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    upload = FIELD_CASES[case]()
    response = post_edit(citizen_client, dossier, f_noi_dung="Giữ nguyên nội dung", **{f"file_{doc.pk}": [upload]})
    body = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'<p class="errorlist" id="err_doc_{doc.pk}" role="alert">([^<]+)</p>', body)
    assert error and upload.name in error.group(1).replace("&ldquo;", "“")
    assert "Giữ nguyên nội dung" in body
    assert not dossier.documents.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(REFUSALS))
def test_a_refused_upload_keeps_the_other_documents_and_what_was_typed(citizen_client, kind):  # noqa: F811
    """ "Nộp hồ sơ" with one document's file refused (bad type, too large, a virus) or failing
    (disk full): the message stands at that document, the photos already attached to the
    other document (and one sent with it, when the disk has room) are still there, and what
    was typed is on the page and in the draft; nothing was submitted."""
    refusal = REFUSALS[kind]
    dossier, _ = start_dossier(citizen_client)
    first, other = services.required_documents_for(dossier)[:2]
    attached = post_edit(citizen_client, dossier, op=f"upload:{first.pk}", **{f"file_{first.pk}": [files.photo()]})
    assert attached.status_code == 302
    before = set(DocumentPage.objects.filter(document__required_document=first).values_list("public_id", flat=True))
    sent = {f"file_{other.pk}": [refusal.upload()]}
    if refusal.others_fit:
        sent[f"file_{first.pk}"] = [files.photo("trang-2.jpg")]
    typed = {"f_noi_dung": "Giữ nguyên nội dung", "applicant_address": "Thôn Đông, xã Quảng Phú"}
    with refusal.condition():
        response = post_edit(citizen_client, dossier, op="submit", **typed, **sent)
    body = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'<p class="errorlist" id="err_doc_{other.pk}" role="alert">([^<]+)</p>', body)
    assert error and refusal.says in html.unescape(error.group(1)), body
    assert f'id="err_doc_{first.pk}"' not in body
    pages = set(DocumentPage.objects.filter(document__required_document=first).values_list("public_id", flat=True))
    assert before < pages if refusal.others_fit else before == pages
    for public_id in pages:  # shown on the page, as attached
        assert reverse("dossiers:page_image", args=[public_id, "nho"]) in body
    assert not DocumentPage.objects.filter(document__required_document=other).exists()
    assert not dossier.documents.filter(required_document=other, stored_file__isnull=False).exists()
    assert all(value in html.unescape(body) for value in typed.values())
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    assert (dossier.form_data["noi_dung"], dossier.applicant_address) == tuple(typed.values())


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(FIELD_CASES))
def test_the_api_answers_each_refusal_at_files(case):
    from tests.api.helpers import key_client

    api, _ = key_client(CitizenFactory())
    version = online_version()
    agency = services.filing_agencies(version)[0]
    created = api.post(
        "/api/v1/dossiers/", {"procedure": version.procedure.national_code, "agency": agency.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    url = f"/api/v1/dossiers/{body['id']}/"
    assert api.patch(url, {"answers": {"noi_dung": "Giữ nguyên"}}, format="json").status_code == 200
    document = next(d for d in body["documents"] if d["required"])
    upload = FIELD_CASES[case]()
    answer = api.post(f"{url}documents/{document['id']}/files/", {"files": [upload]})
    assert answer.status_code == 400
    assert list(answer.json()) == ["files"]
    assert upload.name in answer.json()["files"][0]
    after = api.get(url).json()
    assert after["answers"]["noi_dung"] == "Giữ nguyên"
    assert not next(d for d in after["documents"] if d["id"] == document["id"]).get("pages")


@override_settings(DOSSIER_FILE_MAX_BYTES=10_000)
def test_size_is_checked_before_anything_is_read():
    class Huge(io.BytesIO):
        name, size = "anh.jpg", 10**12

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(ValidationError, match="vượt giới hạn"):
        uploads.inspect(Huge(), uploads.ATTACHMENT)


# --- robustness: damaged files are refused, never crash the check -----------------------

SEEDS = {"anh.jpg": files.jpeg_bytes(), "anh.png": files.png_bytes(), "giay-to.pdf": files.pdf_bytes()}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=8)), min_size=1, max_size=6),
    cut=st.floats(0.05, 1),
)
def test_damaged_files_are_refused_or_accepted_never_crash(name, edits, cut):
    content = bytearray(SEEDS[name])
    for where, data in edits:
        at = int(where * (len(content) - 1))
        content[at : at + len(data)] = data
    content = bytes(content[: max(1, int(len(content) * cut))])
    try:
        got = inspect(name, content)
    except ValidationError as exc:
        assert exc.code and exc.messages[0]
    else:
        assert got.content and len(got.content) <= len(content)
