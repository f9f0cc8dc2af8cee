"""One upload refused or failed, each way it can be (tests of what survives it: the filing
page in tests/dossiers/test_upload_security.py, the counter intake in tests/desk/).

Each refusal is (the file, what makes it fail while the test posts it, words of the message
said at its document's field, whether another file in the same post can still be stored).
"""

import contextlib
import errno
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from dossiers.services import STORAGE_FAILED
from portal import clamav
from tests.dossiers import files


@dataclass(frozen=True)
class Refusal:
    upload: Callable[[], SimpleUploadedFile]
    condition: Callable[[], contextlib.AbstractContextManager]
    says: str
    others_fit: bool = True  # a good file in the same post is stored all the same


def _noise_photo(name: str) -> SimpleUploadedFile:
    """A real photo that JPEG cannot shrink (~150 KB), to be too large under a 100 KB limit."""
    rng = random.Random(7)
    img = Image.frombytes("RGB", (420, 320), bytes(rng.getrandbits(8) for _ in range(420 * 320 * 3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


class _FakeClamd:
    """clamd's answers: the EICAR test string is a virus, anything else is clean."""

    def instream(self, stream):
        return {"stream": ("FOUND", "Eicar-Test-Signature")} if files.EICAR in stream.read() else clamav.CLEAN


@contextlib.contextmanager
def _virus_scanner():
    with override_settings(CLAMAV_ENABLED=True), mock.patch.object(clamav, "scanner", _FakeClamd):
        yield


@contextlib.contextmanager
def _disk_full():
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch("django.core.files.storage.FileSystemStorage._save", side_effect=full):
        yield


REFUSALS = {
    "bad type": Refusal(lambda: files.upload("giay-to.pdf", files.jpeg_bytes()), contextlib.nullcontext, "giay-to.pdf"),
    "too large": Refusal(
        lambda: _noise_photo("anh-lon.jpg"),
        lambda: override_settings(DOSSIER_FILE_MAX_BYTES=100_000),
        "vượt giới hạn",
    ),
    "virus": Refusal(
        lambda: files.upload("anh.jpg", files.jpeg_with_segment(0xFE, files.EICAR)), _virus_scanner, "mã độc"
    ),
    "disk full": Refusal(lambda: files.photo("trang-2.jpg"), _disk_full, STORAGE_FAILED, others_fit=False),
}
