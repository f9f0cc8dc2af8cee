"""The one check every uploaded file goes through (tệp tải lên), with an allow-list per use.

``inspect(upload, use)`` reads the file once (never more than the use's size limit) and
refuses it with a Vietnamese message naming the file when:

- it is empty or too large;
- its content (magic bytes, ``filetype``) is not one of the use's kinds;
- its name has no extension, an extension the use does not take, or one that disagrees
  with the content (a ``.pdf`` holding a JPEG). ``.jpg/.jpeg/.jpe/.jfif`` are one kind,
  so are ``.heic/.heif``; case never matters. A photo named as another accepted photo
  kind (a JPEG saved as ``.png`` by a chat app) is taken: what is stored and served
  follows the content, and both are pictures we decode ourselves (DECISIONS §26);
- it is a polyglot: readable as a ZIP (the end-of-central-directory record is looked
  for, as ZIP readers do, in the last 64 KB), HTML/script/PHP in the first KB, in an
  image's metadata or after its end, another format appended after an image's end or
  after a PDF's last ``%%EOF``. Benign bytes after an image's end (a motion photo's
  video, a phone's trailer, the second picture of an MPO) are cut off, so the stored
  original is exactly one image;
- a PDF carries active content, found in pypdf's object tree (object streams included):
  JavaScript, launch/submit/import/remote-go-to actions, an ``/OpenAction`` or ``/AA``
  that runs anything but a go-to, embedded files, XFA forms; or it is encrypted or broken;
- an image's header declares more than ``IMAGE_MAX_SIDE`` pixels a side or
  ``IMAGE_MAX_PIXELS`` in all: checked on the header, before anything is decoded;
- an office document (catalog form templates) holds macros or would unpack past
  ``OFFICE_MAX_UNPACKED`` bytes;
- ClamAV is enabled (``CLAMAV_ENABLED``) and finds a virus, or cannot answer (fails closed).

Every scan is bounded: structure walks (JPEG segments, PNG chunks, ISO-BMFF boxes, PDF
objects) and C-level ``bytes.find``/regex searches, never a Python loop over the bytes or
a full decode. The uploaded name is only ever displayed: ``display_name`` makes it safe
to show, and no storage path is derived from it.
"""

import contextlib
import io
import logging
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

IMAGE_MAX_SIDE = 16_384
IMAGE_MAX_PIXELS = 60_000_000  # also Pillow's MAX_IMAGE_PIXELS (dossiers.attachments)
OFFICE_MAX_UNPACKED = 100 * 1024 * 1024
NAME_MAX_CHARS = 120
UNNAMED = "tệp không tên"


@dataclass(frozen=True)
class Kind:
    mime: str
    label: str
    extensions: tuple[str, ...]
    family: str  # kinds of one family may carry each other's extension ("photo")


PDF = Kind("application/pdf", "PDF", (".pdf",), "pdf")
JPEG = Kind("image/jpeg", "ảnh JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"), "photo")
PNG = Kind("image/png", "ảnh PNG", (".png",), "photo")
HEIC = Kind("image/heic", "ảnh HEIC", (".heic", ".heif"), "photo")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (".docx",), "docx")
DOC = Kind("application/msword", "Word 97–2003", (".doc",), "doc")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (".xlsx",), "xlsx")
XLS = Kind("application/vnd.ms-excel", "Excel 97–2003", (".xls",), "xls")
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument văn bản", (".odt",), "odt")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument bảng tính", (".ods",), "ods")
_BY_MIME = {k.mime: k for k in (PDF, JPEG, PNG, HEIC, DOCX, DOC, XLSX, XLS, ODT, ODS)}
_BY_MIME["image/heif"] = HEIC
IMAGES = (JPEG, PNG, HEIC)
ZIP_BASED = (DOCX, XLSX, ODT, ODS)
OLE_BASED = (DOC, XLS)


@dataclass(frozen=True)
class Use:
    """What one upload field accepts."""

    name: str  # for logs
    kinds: tuple[Kind, ...]
    accepted_text: str  # "PDF, ảnh JPEG hay PNG"
    hint: str  # what to do instead
    max_bytes_setting: str

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)

    @property
    def extensions(self) -> str:
        return ", ".join(e for k in self.kinds for e in k.extensions)


def _heic_supported() -> bool:
    try:
        import pillow_heif  # noqa: F401
    except ImportError:  # pragma: no cover - optional
        return False
    return True


HEIC_SUPPORTED = _heic_supported()
ATTACHMENT = Use(
    "attachment",
    (PDF, JPEG, PNG) + ((HEIC,) if HEIC_SUPPORTED else ()),
    "PDF, ảnh JPEG hay PNG" + (" (hoặc HEIC)" if HEIC_SUPPORTED else ""),
    "Hãy chụp lại bằng điện thoại hoặc chọn tệp khác.",
    "DOSSIER_FILE_MAX_BYTES",
)
RESULT = Use("result", (PDF,), "PDF", "Hãy gửi bản ký số hoặc bản quét dạng PDF.", "DOSSIER_FILE_MAX_BYTES")
CATALOG_FORM = Use(
    "catalog_form",
    (PDF, DOCX, DOC, XLSX, XLS, ODT, ODS),
    "PDF, Word, Excel hay OpenDocument",
    "Hãy lưu mẫu đơn dưới dạng .docx, .xlsx, .odt hoặc .pdf rồi tải lên lại.",
    "CATALOG_FORM_MAX_BYTES",
)


@dataclass(frozen=True)
class Inspected:
    name: str  # safe to display
    kind: Kind
    content: bytes  # what to store: an image is cut at its end
    page_count: int = 1
    size: tuple[int, int] | None = None  # an image's (width, height) from its header
    notes: tuple[str, ...] = field(default=())  # what was cut off, for the log


# --- names -----------------------------------------------------------------------------


def display_name(raw: str | None) -> str:
    """The uploaded name made safe to show and to put in a header: the last path part
    (``/`` or ``\\``), NFC, no control or format characters (NUL, CR/LF, U+202E and the
    other bidi controls, zero-width characters), spaces collapsed, no leading or
    trailing dots and spaces, at most ``NAME_MAX_CHARS`` characters with the extension
    kept. Nothing left (``...``, only control characters): ``tệp không tên``."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if ch.isspace() else ch for ch in name if unicodedata.category(ch)[0] != "C" or ch.isspace())
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > NAME_MAX_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = f".{ext}" if dot and 0 < len(ext) <= 10 else ""
        name = name[: NAME_MAX_CHARS - len(ext) - 1].rstrip(" .") + "…" + ext
    return name or UNNAMED


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem and ext and " " not in ext else ""


def content_disposition(name: str, *, inline: bool) -> str:
    """A Content-Disposition value per RFC 6266: an ASCII ``filename`` for old clients
    (Vietnamese letters folded, anything unsafe dropped) and ``filename*`` in UTF-8."""
    name = display_name(name)
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]", "", "".join(ch for ch in folded if not unicodedata.combining(ch)))
    ascii_name = ascii_name.strip(" .") or "tep"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- the check -------------------------------------------------------------------------


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def inspect(upload, use: Use) -> Inspected:
    """Read and check one upload for ``use``; raise ``ValidationError`` (Vietnamese)."""
    name = display_name(getattr(upload, "name", ""))
    limit = use.max_bytes
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise refuse(f"Tệp “{name}” nặng {human_size(size)}, vượt giới hạn {human_size(limit)} mỗi tệp.", "too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise refuse(f"Tệp “{name}” vượt giới hạn {human_size(limit)} mỗi tệp.", "too_large")
    if not content:
        raise refuse(f"Tệp “{name}” rỗng (0 byte); hãy chọn lại tệp.", "empty")
    guessed = filetype.guess(content[:8192])
    kind = _BY_MIME.get(guessed.mime) if guessed else None
    if kind not in use.kinds:
        raise refuse(f"Tệp “{name}” không phải {use.accepted_text}. {use.hint}", "type")
    _check_name(name, kind, use)
    if kind in IMAGES:
        result = _inspect_image(content, kind, name)
    elif kind is PDF:
        result = _inspect_pdf(content, name)
    else:
        result = _inspect_office(content, kind, name)
    if getattr(settings, "CLAMAV_ENABLED", False):
        from portal import clamav

        clamav.check(content, name=name, use=use.name)
    if result.notes:
        log.info("upload %s (%s): %s", name, use.name, "; ".join(result.notes))
    return result


def human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _check_name(name: str, kind: Kind, use: Use) -> None:
    ext = extension(name)
    if not ext:
        raise refuse(
            f"Tên tệp “{name}” không có phần đuôi cho biết loại tệp; hãy đặt tên có đuôi "
            f"{kind.extensions[0]} ({kind.label}) rồi gửi lại. Chỉ nhận: {use.extensions}.",
            "extension",
        )
    allowed = {e: k for k in use.kinds for e in k.extensions}
    if ext not in allowed:
        raise refuse(f"Tệp “{name}” có đuôi {ext}, loại tệp không được nhận. Chỉ nhận: {use.extensions}.", "extension")
    if allowed[ext] is not kind and allowed[ext].family != kind.family:
        raise refuse(
            f"Tệp “{name}” có đuôi {ext} ({allowed[ext].label}) nhưng nội dung là {kind.label}. "
            f"Hãy chọn đúng tệp, hoặc đổi đuôi thành {kind.extensions[0]}.",
            "mismatch",
        )


# --- polyglots -------------------------------------------------------------------------

_MARKUP = re.compile(
    rb"<\s*(?:html|head|body|script|iframe|svg|object|embed|meta\s+http-equiv)\b|<\?php|<%@|<!doctype\s+html|javascript:",
    re.IGNORECASE,
)
_FOREIGN = (b"%PDF-", b"PK\x03\x04", b"\x7fELF", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"MSCF\x00\x00\x00\x00")
_EOCD = b"PK\x05\x06"


def _polyglot_message(name: str, what: str) -> ValidationError:
    return refuse(
        f"Tệp “{name}” có {what} giấu bên trong nên không được nhận vì lý do an toàn. "
        "Hãy chụp lại hoặc xuất lại tệp từ chương trình gốc rồi gửi lại.",
        "polyglot",
    )


def _foreign_in(region: bytes, *, binary: bool) -> str:
    """What hostile content a region of metadata or trailing bytes holds ('' if none)."""
    if _MARKUP.search(region):
        return "mã HTML hoặc mã lệnh"
    if binary:
        for sig in _FOREIGN:
            if sig in region:
                return "một tệp khác (PDF, ZIP hoặc chương trình)"
        if region[:2] == b"MZ":
            return "một chương trình"
    return ""


def _zip_inside(content: bytes) -> bool:
    """True if a ZIP reader would open the file: an end-of-central-directory record in
    the last 64 KB whose central directory is really there (at its recorded offset, or
    just before the record as readers find appended archives)."""
    start = max(0, len(content) - 65_557)
    pos = content.rfind(_EOCD, start)
    while pos != -1:
        if pos + 22 <= len(content):
            cd_size, cd_offset = struct.unpack_from("<II", content, pos + 12)
            for at in (cd_offset, pos - cd_size):
                if at >= 0 and content[at : at + 4] == b"PK\x01\x02":
                    return True
        pos = content.rfind(_EOCD, start, pos)
    return False


def _check_head_and_zip(content: bytes, name: str, *, pdf: bool) -> None:
    head = content[:1024]
    if _MARKUP.search(head):
        raise _polyglot_message(name, "mã HTML hoặc mã lệnh")
    if not pdf and b"%PDF-" in head:
        raise _polyglot_message(name, "một tệp PDF")
    if _zip_inside(content):
        raise _polyglot_message(name, "một tệp nén ZIP")


# --- images ----------------------------------------------------------------------------

_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _corrupt_image(name: str) -> ValidationError:
    return refuse(f"Ảnh “{name}” bị hỏng hoặc không đọc được; hãy chụp lại.", "corrupt")


def _jpeg_layout(c: bytes, name: str) -> tuple[int, int, int, list[bytes]]:
    """(width, height, end, metadata regions): segment headers walked, entropy-coded data
    skipped with a C-level search for the next marker."""
    n, pos, size, regions, segments = len(c), 2, None, [], 0
    in_scan = False
    while True:
        if in_scan:
            m = _JPEG_MARKER.search(c, pos)
            if m is None:
                return (*(size or (0, 0)), n, regions)  # no end marker: the decoder judges
            pos = m.start()
        if pos + 2 > n:
            raise _corrupt_image(name)
        if c[pos] != 0xFF:  # junk between segments (decoders skip it): kept as metadata
            m = _JPEG_MARKER.search(c, pos)
            if m is None:
                raise _corrupt_image(name)
            regions.append(c[pos : m.start()])
            pos = m.start()
        marker = c[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            if not in_scan:
                raise _corrupt_image(name)
            return (*(size or (0, 0)), pos + 2, regions)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if pos + 4 > n:
            raise _corrupt_image(name)
        length = (c[pos + 2] << 8) | c[pos + 3]
        if length < 2 or pos + 2 + length > n:
            raise _corrupt_image(name)
        if marker in _SOF and length >= 7:
            size = ((c[pos + 7] << 8) | c[pos + 8], (c[pos + 5] << 8) | c[pos + 6])
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments: metadata
            regions.append(c[pos + 4 : pos + 2 + length])
        segments += 1
        if segments > 10_000:
            raise _corrupt_image(name)
        in_scan = in_scan or marker == 0xDA
        pos += 2 + length


def _png_layout(c: bytes, name: str) -> tuple[int, int, int, list[bytes]]:
    n, pos, size, regions, chunks = len(c), 8, None, [], 0
    while pos + 12 <= n:
        length, ctype = struct.unpack_from(">I4s", c, pos)
        data = pos + 8
        end = data + length + 4
        if end > n:
            raise _corrupt_image(name)
        if ctype == b"IHDR":
            size = struct.unpack_from(">II", c, data)
        elif ctype == b"IEND":
            return (*(size or (0, 0)), end, regions)
        elif ctype == b"zTXt":
            with contextlib.suppress(zlib.error, ValueError):  # look at (at most 1 MB of) the text
                regions.append(zlib.decompressobj().decompress(c[c.index(b"\x00", data) + 2 : end - 4], 1 << 20))
        elif ctype not in (b"IDAT", b"fdAT", b"iCCP"):
            regions.append(c[data : end - 4])
        chunks += 1
        if chunks > 100_000 or size is None:
            raise _corrupt_image(name)
        pos = end
    return (*(size or (0, 0)), n, regions)  # no IEND: the decoder judges


def _heic_layout(c: bytes, name: str) -> tuple[int, int, int, list[bytes]]:
    n, pos, regions, boxes = len(c), 0, [], 0
    while pos + 8 <= n:
        box, kind = struct.unpack_from(">I4s", c, pos)
        if box == 1 and pos + 16 <= n:
            box = struct.unpack_from(">Q", c, pos + 8)[0]
        elif box == 0:
            box = n - pos
        if box < 8 or pos + box > n:
            break  # not a box: trailing bytes
        if kind != b"mdat":
            regions.append(c[pos : pos + box])
        pos += box
        boxes += 1
        if boxes > 10_000:
            raise _corrupt_image(name)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(c[:pos])) as img:  # parses the boxes; decodes nothing
            width, height = img.size
    except Exception:  # noqa: BLE001 - any failure to parse the header is a broken photo
        raise _corrupt_image(name) from None
    return width, height, pos, regions


def _inspect_image(content: bytes, kind: Kind, name: str) -> Inspected:
    _check_head_and_zip(content, name, pdf=False)
    layout = {JPEG: _jpeg_layout, PNG: _png_layout, HEIC: _heic_layout}[kind]
    width, height, end, regions = layout(content, name)
    if not width or not height:
        raise _corrupt_image(name)
    if max(width, height) > IMAGE_MAX_SIDE or width * height > IMAGE_MAX_PIXELS:
        raise refuse(
            f"Ảnh “{name}” có kích thước {width}×{height} điểm ảnh, vượt giới hạn {IMAGE_MAX_SIDE} điểm ảnh mỗi "
            f"cạnh và {IMAGE_MAX_PIXELS // 1_000_000} triệu điểm ảnh; hãy chụp lại hoặc thu nhỏ ảnh.",
            "dimensions",
        )
    for region in regions:
        if what := _foreign_in(region, binary=False):
            raise _polyglot_message(name, what)
    notes = ()
    trailer = content[end:]
    if trailer:
        if what := _foreign_in(trailer, binary=True):
            raise _polyglot_message(name, what)
        notes = (f"{len(trailer)} byte sau phần cuối ảnh đã được bỏ",)
        content = content[:end]
    return Inspected(name, kind, content, 1, (width, height), notes)


# --- PDFs ------------------------------------------------------------------------------

_RUNNING = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition"}
_RUNNING |= {"/RichMediaExecute", "/Movie", "/Sound"}
PDF_PROBLEMS = {
    "javascript": "có mã JavaScript",
    "launch": "có lệnh mở chương trình hoặc tệp khác (Launch)",
    "action": "có lệnh tự chạy khi mở hoặc khi thao tác (OpenAction/AA)",
    "embedded": "có tệp khác đính kèm bên trong",
    "xfa": "là biểu mẫu XFA (có thể chứa mã lệnh)",
}


def _pdf_broken(name: str) -> ValidationError:
    return refuse(f"Tệp PDF “{name}” bị hỏng, không mở được.", "corrupt")


def _inspect_pdf(content: bytes, name: str) -> Inspected:
    _check_head_and_zip(content, name, pdf=True)
    last = content.rfind(b"%%EOF")
    if last == -1:
        raise _pdf_broken(name)
    trailer = content[last + 5 :]
    if trailer.strip(b"\r\n\t \x00") and (what := _foreign_in(trailer, binary=True)):
        raise _polyglot_message(name, what)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise refuse(f"Tệp PDF “{name}” có mật khẩu; hãy gửi bản không đặt mật khẩu.", "encrypted")
        pages = len(reader.pages)
        problem = pdf_active_content(reader)
        if not problem and (b"/JavaScript" in content or b"/Launch" in content):
            problem = "javascript" if b"/JavaScript" in content else "launch"  # outside the object tree
    except ValidationError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, IndexError, TypeError, OSError, AttributeError):
        raise _pdf_broken(name) from None
    except (RecursionError, struct.error, zlib.error):  # deeply nested or badly packed objects
        raise _pdf_broken(name) from None
    if pages == 0:
        raise refuse(f"Tệp PDF “{name}” không có trang nào.", "corrupt")
    if problem:
        raise refuse(
            f"Tệp PDF “{name}” {PDF_PROBLEMS[problem]} nên không được nhận vì lý do an toàn. Hãy in tệp ra "
            "một PDF mới (chọn In → Lưu dưới dạng PDF) hoặc chụp ảnh giấy tờ rồi gửi lại.",
            f"pdf_{problem}",
        )
    return Inspected(name, PDF, content, pages)


def pdf_active_content(reader) -> str:
    """The first kind of active content in the PDF ('' if none), from every object in
    its cross-reference tables (plain and inside object streams). Stream data is never
    decoded: only dictionaries and arrays are looked at."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    def action_kind(action) -> str:
        action = action.get_object() if isinstance(action, IndirectObject) else action
        if isinstance(action, ArrayObject):  # a destination, not an action
            return ""
        if not isinstance(action, DictionaryObject):
            return ""
        kind = action.get("/S")
        if kind == "/JavaScript":
            return "javascript"
        if kind == "/Launch":
            return "launch"
        return "" if kind in (None, "/GoTo") else "action"

    def look(obj, depth: int = 0) -> str:
        if depth > 40:
            return ""
        if isinstance(obj, DictionaryObject):
            keys = set(obj.keys())
            if keys & {"/JS", "/JavaScript"}:
                return "javascript"
            kind = obj.get("/S")
            if kind in _RUNNING:
                return {"/JavaScript": "javascript", "/Launch": "launch"}.get(kind, "action")
            if obj.get("/Type") in ("/EmbeddedFile", "/EmbeddedFiles") or keys & {"/EmbeddedFiles", "/EF"}:
                return "embedded"
            if obj.get("/Subtype") in ("/FileAttachment", "/RichMedia"):
                return "embedded"
            if "/XFA" in keys:
                return "xfa"
            if "/OpenAction" in keys and (found := action_kind(obj["/OpenAction"])):
                return found
            if "/AA" in keys:
                triggers = obj["/AA"].get_object()
                if isinstance(triggers, DictionaryObject):
                    for action in triggers.values():
                        if found := action_kind(action):
                            return found
            if "/Next" in keys:  # a chain of actions after a go-to
                nxt = obj["/Next"].get_object()
                for action in nxt if isinstance(nxt, ArrayObject) else [nxt]:
                    if found := action_kind(action):
                        return found
            values = obj.values()
        elif isinstance(obj, ArrayObject):
            values = obj
        else:
            return ""
        for value in values:
            if isinstance(value, DictionaryObject | ArrayObject) and (found := look(value, depth + 1)):
                return found
        return ""

    refs = {(num, gen) for gen, table in reader.xref.items() for num in table}
    refs |= {(num, 0) for num in reader.xref_objStm}
    if len(refs) > 500_000:
        raise ValueError("too many objects")
    for num, gen in sorted(refs):
        try:
            obj = IndirectObject(num, gen, reader).get_object()
        except Exception:  # noqa: BLE001  # nosec B112 # an unreadable object is not content a viewer runs
            continue
        if found := look(obj):
            return found
    return look(reader.trailer)


# --- office documents (catalog form templates) -----------------------------------------

_OLE_MACROS = ("_VBA_PROJECT".encode("utf-16-le"), "Macros".encode("utf-16-le"))


def _inspect_office(content: bytes, kind: Kind, name: str) -> Inspected:
    macro = refuse(f"Tệp “{name}” có macro (mã lệnh) nên không được nhận; hãy lưu lại dạng không có macro.", "macro")
    if kind in OLE_BASED:
        if any(sig in content for sig in _OLE_MACROS):
            raise macro
        if _zip_inside(content):
            raise _polyglot_message(name, "một tệp nén ZIP")
        return Inspected(name, kind, content)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(f"Tệp “{name}” bị hỏng, không mở được.", "corrupt") from None
    if len(members) > 10_000 or sum(m.file_size for m in members) > OFFICE_MAX_UNPACKED:
        raise refuse(f"Tệp “{name}” khi giải nén quá lớn nên không được nhận.", "bomb")
    lowered = [m.filename.lower() for m in members]
    if any(n.endswith("vbaproject.bin") or "embeddings/" in n or n.startswith(("basic/", "scripts/")) for n in lowered):
        raise macro
    if not content.startswith(b"PK\x03\x04") or _MARKUP.search(content[:1024]):
        raise _polyglot_message(name, "mã HTML hoặc một tệp khác")
    return Inspected(name, kind, content)
