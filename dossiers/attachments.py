"""Checking and preparing what citizens attach: PDFs and phone photos.

The type comes from the file's content (magic bytes), never from its name. Photos
are checked and thumbnailed in the request (cheap: JPEG draft decoding); turning
them into one PDF per document — EXIF rotation, reduction, combining — happens in a
Celery task (``dossiers.tasks.render_document_pdf``).
"""

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF photos (iPhones) when the library is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - optional
    HEIC_SUPPORTED = False

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
IMAGE_TYPES = {JPEG, PNG, HEIC, "image/heif"}
ACCEPTED_TYPES = {PDF, JPEG, PNG} | ({HEIC, "image/heif"} if HEIC_SUPPORTED else set())
THUMBNAIL_SIDE = 240
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs (≈ 60 MP)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    page_count: int
    thumbnail: bytes = b""

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def check_uploads(uploads: list) -> list[tuple[str, CheckedFile]]:
    """Check several uploads at once; photos decode in parallel (Pillow releases the
    GIL while decoding), which keeps a three-photo upload's server time low. The
    first bad file's error is raised, as with one file."""
    if len(uploads) < 2:
        return [(u.name, check_upload(u)) for u in uploads]
    with ThreadPoolExecutor(max_workers=min(3, len(uploads))) as pool:
        results = list(pool.map(check_upload, uploads))
    return [(u.name, c) for u, c in zip(uploads, results, strict=True)]


def human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def check_upload(upload) -> CheckedFile:
    """Read and check one uploaded file; raise ``ValidationError`` (Vietnamese) if unusable."""
    limit = settings.DOSSIER_FILE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"Tệp “{upload.name}” nặng {human_size(upload.size)}, vượt giới hạn {human_size(limit)} mỗi tệp.",
            code="too_large",
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(f"Tệp “{upload.name}” vượt giới hạn {human_size(limit)} mỗi tệp.", code="too_large")
    if not content:
        raise ValidationError(f"Tệp “{upload.name}” rỗng.", code="empty")
    kind = filetype.guess(content[:8192])
    mime = kind.mime if kind else ""
    if mime == "image/heif":
        mime = HEIC
    if mime not in ACCEPTED_TYPES:
        raise ValidationError(
            f"Tệp “{upload.name}” không phải PDF, ảnh JPEG hay PNG"
            + (" (hoặc HEIC)" if HEIC_SUPPORTED else "")
            + ". Hãy chụp lại bằng điện thoại hoặc chọn tệp khác.",
            code="type",
        )
    digest = hashlib.sha256(content).hexdigest()
    if mime == PDF:
        return CheckedFile(content, PDF, digest, _pdf_pages(content, upload.name))
    return CheckedFile(content, mime, digest, 1, thumbnail=_check_and_thumbnail(content, upload.name))


def _pdf_pages(content: bytes, name: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError(f"Tệp PDF “{name}” có mật khẩu; hãy gửi bản không đặt mật khẩu.", code="encrypted")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(f"Tệp PDF “{name}” bị hỏng, không mở được.", code="corrupt") from None
    if pages == 0:
        raise ValidationError(f"Tệp PDF “{name}” không có trang nào.", code="corrupt")
    return pages


def _check_and_thumbnail(content: bytes, name: str) -> bytes:
    """Decode the photo once (at reduced scale: JPEG draft mode) to prove it is not
    corrupt, and make the small upright preview the citizen sees from that decode."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            img.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))
            img.load()
            upright = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(f"Ảnh “{name}” bị hỏng hoặc không đọc được; hãy chụp lại.", code="corrupt") from None
    upright.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=70)
    return out.getvalue()


def images_to_pdf(images: list[bytes], *, max_side: int | None = None) -> bytes:
    """Combine page photos into one PDF: upright (EXIF), reduced, JPEG-compressed."""
    max_side = max_side or settings.DOSSIER_IMAGE_MAX_SIDE
    pages = []
    for content in images:
        with Image.open(io.BytesIO(content)) as img:
            img.draft("RGB", (max_side, max_side))
            upright = ImageOps.exif_transpose(img).convert("RGB")
            upright.thumbnail((max_side, max_side))
            pages.append(upright.copy())
    if not pages:
        raise ValueError("no pages")
    out = io.BytesIO()
    # 150 dpi keeps an A4 photo of ~1750 px at its real size when printed.
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150.0, quality=80)
    return out.getvalue()
