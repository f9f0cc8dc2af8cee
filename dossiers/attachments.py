"""Checking and preparing what citizens attach: PDFs and phone photos.

Every file goes through ``portal.uploads.inspect`` (the type from the content, which the
name's extension must agree with; polyglots, active PDFs, oversized images refused). Photos
are checked and thumbnailed in the request (cheap: JPEG draft decoding); turning
them into one PDF per document — EXIF rotation, reduction, combining — happens in a
Celery task (``dossiers.tasks.render_document_pdf``).
"""

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from portal import uploads

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
THUMBNAIL_SIDE = 240
# Dimensions are refused on the header first (portal.uploads); Pillow's own guard stays.
Image.MAX_IMAGE_PIXELS = uploads.IMAGE_MAX_PIXELS


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    page_count: int
    thumbnail: bytes = b""
    name: str = ""  # the uploaded name made safe to show (portal.uploads.display_name)

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def check_uploads(files: list) -> list[tuple[str, CheckedFile]]:
    """Check several uploads at once; photos decode in parallel (Pillow releases the
    GIL while decoding), which keeps a three-photo upload's server time low. The
    first bad file's error is raised, as with one file."""
    if len(files) < 2:
        return [(c.name, c) for c in map(check_upload, files)]
    with ThreadPoolExecutor(max_workers=min(3, len(files))) as pool:
        results = list(pool.map(check_upload, files))
    return [(c.name, c) for c in results]


human_size = uploads.human_size


def check_upload(upload, use: uploads.Use = uploads.ATTACHMENT) -> CheckedFile:
    """Read and check one uploaded file for ``use`` (``portal.uploads``: allow-list by content
    and name, polyglots, active PDF content, image dimensions, ClamAV); photos are then
    decoded once, at reduced scale, for the thumbnail. Raises ``ValidationError`` (Vietnamese)."""
    inspected = uploads.inspect(upload, use)
    content = inspected.content
    digest = hashlib.sha256(content).hexdigest()
    if inspected.kind is uploads.PDF:
        return CheckedFile(content, PDF, digest, inspected.page_count, name=inspected.name)
    thumbnail = _check_and_thumbnail(content, inspected.name)
    return CheckedFile(content, inspected.kind.mime, digest, 1, thumbnail=thumbnail, name=inspected.name)


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
