"""Server time of the citizen's journey: submit with three 1 MB phone photos, and the
public tracking lookup.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python benchmarks/filing_server_time.py

In-process (django.test.Client; ``time.perf_counter`` around the request: URL
resolution, all middleware, queries, file checks, thumbnails, storage, template).
Celery is not eager here, as in production: combining the photos into a PDF is
queued for the ``documents`` worker and is not part of the request (the issue's
target excludes it). Each submit is a fresh draft; each tracking lookup comes from
its own client address so the rate limit (30/min per address) stays out of the way
while its cache check is still measured.
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-private-"))

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.constants import AccountKind  # noqa: E402
from accounts.models import User  # noqa: E402
from dossiers import services  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from procedures.models import ProcedureVersion  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "500"))


def phone_photo(seed: int) -> bytes:
    """A ~1 MB JPEG like a phone photo of a paper: 2000×1500, texture and noise."""
    rng = random.Random(seed)
    base = Image.effect_noise((2000, 1500), 40).convert("RGB")
    tint = Image.new("RGB", base.size, (rng.randint(200, 255), rng.randint(200, 255), rng.randint(180, 240)))
    img = Image.blend(base, tint, 0.55)
    for quality in (92, 88, 84, 80, 75):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        if buf.tell() <= 1_100_000:
            break
    return buf.getvalue()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    version = (
        ProcedureVersion.objects.filter(is_current=True, max_service_level__gte=3, cases__isnull=True)
        .order_by("procedure__national_code")
        .first()
    )
    assert version, "needs the demo catalog: manage.py seed_demo"
    agency = services.filing_agencies(version)[0]
    user, _ = User.objects.get_or_create(
        username="038087999001",
        defaults={
            "national_id": "038087999001",
            "kind": AccountKind.CITIZEN,
            "full_name": "Người Đo Hiệu Năng",
            "phone": "0912999001",
        },
    )
    client = Client()
    client.force_login(user)
    photos = [phone_photo(n) for n in range(3)]
    sizes = [len(p) for p in photos]
    timings = []
    codes = []
    for n in range(ROUNDS + 3):
        Dossier.objects.filter(owner=user, status=0).delete()
        dossier = services.dossier_start(user=user, version=version, agency=agency)
        required = [d for d in services.required_documents_for(dossier) if d.required and not d.presented_only]
        first, others = required[0], required[1:]
        for doc in others:  # the other documents were attached earlier (not timed)
            services.document_add_files(
                dossier=dossier,
                required_document=doc,
                files=[SimpleUploadedFile("a.jpg", photos[0], content_type="image/jpeg")],
                actor=user,
            )
        data = {
            "op": "submit",
            "applicant_name": user.full_name,
            "applicant_id_number": user.national_id,
            "applicant_phone": user.phone,
            f"file_{first.pk}": [
                SimpleUploadedFile(f"anh{i}.jpg", content, content_type="image/jpeg")
                for i, content in enumerate(photos)
            ],
        }
        data.update({f"f_{f.key}": "2026-11-02" if f.kind == "date" else "1" for f in version.form_fields.all()})
        for f in version.form_fields.all():
            if f.kind == "choice" and f.choice_list:
                data[f"f_{f.key}"] = f.choice_list[0]
        start = time.perf_counter()
        response = client.post(f"/ho-so/{dossier.public_id}/soan/", data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.content[:2000]
        dossier.refresh_from_db()
        assert dossier.code, "not submitted"
        codes.append(dossier.code)
        if n >= 3:  # warm-up rounds are not counted
            timings.append(elapsed)

    anonymous = Client()
    lookups = []
    for i in range(LOOKUPS + 20):
        code = codes[i % len(codes)]
        start = time.perf_counter()
        response = anonymous.get(
            "/tra-cuu/", {"ma": code, "so": user.national_id[-4:]}, REMOTE_ADDR=f"10.9.{i // 250}.{i % 250 + 1}"
        )
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and b"track-result" in response.content
        if i >= 20:
            lookups.append(elapsed)

    load = os.getloadavg()
    print(f"# Filing server time — {version.procedure.national_code} {version.name[:60]}")
    print(f"# photos: {', '.join(f'{s / 1_000_000:.2f} MB' for s in sizes)}; {ROUNDS} submits, {LOOKUPS} lookups")
    print(f"# load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    print("| Request | n | p50 ms | p95 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| submit with three ~1 MB photos | {len(timings)} | {statistics.median(timings):.1f} | "
        f"{pct(timings, 95):.1f} | {max(timings):.1f} | p95 ≤ 150 ms |"
    )
    print(
        f"| tracking lookup | {len(lookups)} | {statistics.median(lookups):.2f} | {pct(lookups, 95):.2f} | "
        f"{max(lookups):.2f} | p95 ≤ 10 ms |"
    )
    Dossier.objects.filter(owner=user).delete()


if __name__ == "__main__":
    main()
