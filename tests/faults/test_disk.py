"""The disk refusing an upload, for real: the private storage on a 1 MiB tmpfs of the test's
own, filled until the second photo of an upload no longer fits (ENOSPC), then remounted
read-only (EROFS; root ignores permissions, not a read-only mount).

The citizen gets a Vietnamese message at the document's field, the draft and everything
typed are kept, no row and no file (whole or partial) of that upload is left, and the same
upload succeeds once there is room again.
"""

import io
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers import attachments
from dossiers.constants import Status
from dossiers.models import DocumentPage, StoredFile
from dossiers.services import STORAGE_FAILED, required_documents_for
from tests.dossiers import files
from tests.dossiers.test_views import post_edit, start_dossier
from tests.factories import CitizenFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

FILLER = "filler.bin"


def _noise_photo(name: str, seed: int) -> SimpleUploadedFile:
    """A photo that JPEG cannot shrink much (~150 KB): its size is what the disk must hold."""
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (420, 320), bytes(rng.getrandbits(8) for _ in range(420 * 320 * 3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _free(path: Path) -> int:
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != FILLER)


@pytest.fixture
def tiny_disk(settings):
    """A 1 MiB tmpfs as the private storage (mount needs root; skipped with the reason otherwise)."""
    mountpoint = Path(tempfile.mkdtemp(prefix="portal-faults-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mountpoint)], capture_output=True, text=True
    )
    if done.returncode:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'}): a real full disk is needed")
    settings.PRIVATE_MEDIA_ROOT = mountpoint
    yield mountpoint
    subprocess.run(["umount", "-l", str(mountpoint)], check=False)
    mountpoint.rmdir()


@pytest.fixture
def citizen_client(client):
    client.user = CitizenFactory()
    client.force_login(client.user)
    return client


def test_a_full_disk_and_a_read_only_disk_refuse_the_upload_and_lose_nothing(citizen_client, tiny_disk):
    began = time.monotonic()
    dossier, _ = start_dossier(citizen_client)
    doc = required_documents_for(dossier)[0]
    photos = [_noise_photo(f"trang-{n}.jpg", n) for n in range(3)]
    sizes = []
    for photo in photos:
        checked = attachments.check_upload(photo)
        sizes.append(len(checked.content) + len(checked.thumbnail))
        photo.seek(0)
    # Room for the first photo and its thumbnail, not for the second: the upload fails midway.
    room = sizes[0] + 16 * 1024
    assert room + 4096 < sizes[0] + sizes[1]
    (tiny_disk / FILLER).write_bytes(b"\0" * (_free(tiny_disk) - room))
    assert sizes[0] < _free(tiny_disk) < sizes[0] + sizes[1]

    typed = {"applicant_address": "Thôn Đông, xã Quảng Phú", "f_noi_dung": "Giữ nguyên nội dung đã nhập"}
    tried, refused = 0, []
    response = post_edit(citizen_client, dossier, **typed, **{f"file_{doc.pk}": photos})
    tried += 1
    body = response.content.decode()
    assert response.status_code == 400
    assert STORAGE_FAILED in body and 'id="err_doc_' in body  # said at the document's field
    assert typed["applicant_address"] in body and typed["f_noi_dung"] in body  # what was typed, shown again
    refused.append("ENOSPC")
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.applicant_address == typed["applicant_address"]
    assert dossier.form_data.get("noi_dung") == typed["f_noi_dung"]  # the draft saved before the upload
    assert not DocumentPage.objects.filter(document__dossier=dossier).exists()
    assert _files_under(tiny_disk) == []  # the first photo's files removed, the second's partial file too

    # A PDF larger than what is left: the wallet item is not kept either.
    pdf = files.pdf(pages=1)
    too_big = SimpleUploadedFile("to-khai.pdf", pdf.read() + b"%" + b"0" * (room + 8192), "application/pdf")
    response = post_edit(citizen_client, dossier, **typed, **{f"file_{doc.pk}": [too_big]})
    tried += 1
    assert response.status_code == 400 and STORAGE_FAILED in response.content.decode()
    refused.append("ENOSPC")
    assert not StoredFile.objects.filter(owner=citizen_client.user).exists() and _files_under(tiny_disk) == []

    # Read-only: the disk refuses every write (EROFS), whatever the space.
    (tiny_disk / FILLER).unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    try:
        for photo in photos:
            photo.seek(0)
        response = post_edit(citizen_client, dossier, **typed, **{f"file_{doc.pk}": photos})
        tried += 1
        assert response.status_code == 400 and STORAGE_FAILED in response.content.decode()
        refused.append("EROFS")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    assert not DocumentPage.objects.filter(document__dossier=dossier).exists() and _files_under(tiny_disk) == []

    # Room again: the same upload goes through, the draft as it was.
    for photo in photos:
        photo.seek(0)
    response = post_edit(citizen_client, dossier, **typed, **{f"file_{doc.pk}": photos})
    tried += 1
    assert response.status_code == 302
    pages = DocumentPage.objects.filter(document__dossier=dossier)
    assert pages.count() == 3 and len(_files_under(tiny_disk)) == 6  # three photos, three thumbnails
    dossier.refresh_from_db()
    lost = [k for k, v in typed.items() if v not in (dossier.applicant_address, dossier.form_data.get("noi_dung"))]
    print(
        f"\nDisk refusing uploads: {tried} uploads tried, {len(refused)} refused ({', '.join(refused)}) with the "
        f"message at the field, 0 rows and 0 files left by them, then 1 accepted (3 pages); typed values lost: "
        f"{len(lost)}; {time.monotonic() - began:.1f} s"
    )
    assert lost == []  # what was lost: nothing
