"""Backup and restore (portal/backup.py, ``manage.py backup`` / ``manage.py restore``).

Real data made through the services (citizens, officers, dossiers with their attachments and
photo pages in private storage, a returned dossier with its result and forms, a cash payment
with its receipt PDF, public media) is backed up from the test database, restored into a new
database this test creates (and drops) and new file folders, and compared table by table
(every row, in order) and file by file (every byte). Then damage is injected into the copy
and into the backup, and the verifier must catch each.
"""

from __future__ import annotations

import filecmp
import json
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from dossiers import processing, services
from dossiers.models import DocumentPage, StoredFile
from payments import receipts
from payments import services as payment_services
from portal import backup
from procedures.constants import FeeKind
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for
from tests.factories import CitizenFactory, FieldFactory

pytestmark = [
    pytest.mark.postgres(
        reason="backup and restore are pg_dump/pg_restore of an exported snapshot (pg_export_snapshot); "
        "the commands refuse SQLite"
    ),
    pytest.mark.slow,
]


FEES = [(FeeKind.LEVY, "LP1", "Lệ phí", 50_000, None)]


def _filed_with_photo(citizen, version, agency):
    """A dossier whose documents are phone photos: page images and the PDF made of them."""
    dossier = services.dossier_start(user=citizen, version=version, agency=agency)
    services.dossier_save_draft(dossier=dossier, actor=citizen, applicant={}, answers={"noi_dung": "Cấp bản sao"})
    for doc in services.required_documents_for(dossier):
        if doc.required:
            services.document_add_files(dossier=dossier, required_document=doc, files=[files.photo()], actor=citizen)
    return services.dossier_submit(dossier=dossier, actor=citizen)


def _admin_connection():
    params = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _portal_data():
    """Citizens, officers, dossiers with private files, a payment with its receipt, media."""
    staff = agency_staff()
    version = version_for(staff.agency, level=4, fees=FEES)
    # Collected when the agency asks (thu sau), so a dossier waits for its fee in status 6.
    type(version).objects.filter(pk=version.pk).update(fee_collection="after")
    version.refresh_from_db()
    citizen = CitizenFactory(full_name="Lê Thị Hồng Nhung")
    CitizenFactory.create_batch(3)
    FieldFactory()
    dossier_at(staff, "returned", citizen=citizen, version=version)  # result and forms (PDF)
    submitted_dossier(staff.agency, citizen=citizen, version=version)
    _filed_with_photo(citizen, version, staff.agency)  # photo pages and their combined PDF
    paid = dossier_at(staff, "specialist", citizen=citizen, version=version)
    processing.dossier_act(dossier=paid, action="request_payment", actor=staff.specialist)
    attempt = payment_services.counter_payment_record(
        dossier=paid, officer=staff.desk, amount="50000", receipt_number="BL-0001"
    )
    receipts.receipt_for(attempt)  # the receipt PDF in private storage
    default_storage.save("forms/to-khai.docx", ContentFile(b"PK\x03\x04 mau don " * 100))
    assert StoredFile.objects.count() >= 3 and DocumentPage.objects.exists()


def _rows(database: dict) -> dict[str, list[str]]:
    """Every table's rows as text, in order: compared whole, not by count."""
    conn = backup.connect(database)
    try:
        with conn.cursor() as cursor:
            tables = backup.user_tables(cursor)
            out = {}
            for table in tables:
                schema, name = table.split(".")
                cursor.execute(f'SELECT t::text FROM "{schema}"."{name}" t ORDER BY 1')
                out[table] = [row for (row,) in cursor.fetchall()]
            return out
    finally:
        conn.close()


def _same_tree(left: Path, right: Path) -> list[str]:
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    other = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    different = [str(n) for n in names & other if not filecmp.cmp(left / n, right / n, shallow=False)]
    return sorted({str(n) for n in names ^ other} | set(different))


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_equal_row_for_row_and_byte_for_byte(tmp_path, fresh_database, capsys):
    _portal_data()
    source = connection.settings_dict
    target_dir = tmp_path / "backup"

    started = time.monotonic()
    call_command("backup", str(target_dir))
    backup_seconds = time.monotonic() - started
    manifest = json.loads((target_dir / "manifest.json").read_text("utf-8"))
    assert manifest["missing_files"] == []
    assert manifest["tools"]["pg_dump"].startswith("pg_dump (PostgreSQL)")
    assert "dossiers.0001_initial" in manifest["migrations"]
    assert manifest["tables"]["public.dossiers_dossier"]["rows"] >= 4
    assert manifest["tables"]["public.payments_paymentattempt"]["rows"] >= 1
    private_files = [n for n in manifest["files"] if n.startswith("private/")]
    assert any(n.startswith("private/receipts/") for n in private_files), private_files
    assert "media/forms/to-khai.docx" in manifest["files"]

    restored = tmp_path / "restored"
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**{**fresh_database, "PORT": fresh_database["PORT"] or 5432})
    started = time.monotonic()
    call_command(
        "restore",
        str(target_dir),
        database_url=url,
        private_root=str(restored / "private"),
        media_root=str(restored / "media"),
    )
    restore_seconds = time.monotonic() - started
    assert "khớp bản sao lưu" in capsys.readouterr().out

    # Independent of the manifest's checksums: every row of every table, every byte of every file.
    original, copy = _rows(source), _rows(fresh_database)
    assert sorted(original) == sorted(copy)
    assert {t: len(r) for t, r in copy.items()} == {t: m["rows"] for t, m in manifest["tables"].items()}
    for table in original:
        assert original[table] == copy[table], table
    assert _same_tree(Path(settings.PRIVATE_MEDIA_ROOT), restored / "private") == []
    assert _same_tree(Path(settings.MEDIA_ROOT), restored / "media") == []

    size = manifest["dump"]["size"] + manifest["archive"]["size"]
    print(
        f"\nFIGURES backup {backup_seconds:.2f} s, restore+verify {restore_seconds:.2f} s, "
        f"{len(original)} tables, {sum(map(len, original.values()))} rows, {len(manifest['files'])} files, "
        f"dump {manifest['dump']['size']} B, files.tar {manifest['archive']['size']} B, total {size} B"
    )

    def verify():
        return backup.backup_verify(
            manifest=manifest,
            database=fresh_database,
            private_root=restored / "private",
            media_root=restored / "media",
        )

    assert verify().ok

    # Damage to the restored files: one altered, one deleted, one added.
    receipt = next(p for p in (restored / "private").rglob("*.pdf") if "receipts" in p.parts)
    receipt.write_bytes(receipt.read_bytes()[:-1] + b"!")
    photo = next(p for p in (restored / "private").rglob("*") if p.is_file() and p.suffix in (".jpg", ".jpeg"))
    photo.unlink()
    (restored / "media" / "forms" / "la.txt").write_text("không có trong bản sao lưu")
    problems = verify().problems
    assert any(p.startswith("tệp private/receipts/") and "sha256" in p for p in problems), problems
    assert any(p.startswith("thiếu tệp private/") for p in problems), problems
    assert "tệp media/forms/la.txt không có trong bản sao lưu" in problems
    assert len(problems) == 3, problems

    # Damage to the restored rows: one changed, one deleted.
    conn = backup.connect(fresh_database)
    with conn, conn.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET full_name = 'Người lạ' WHERE full_name = 'Lê Thị Hồng Nhung'")
        assert cursor.rowcount == 1
        cursor.execute("DELETE FROM payments_attemptchange WHERE id = (SELECT min(id) FROM payments_attemptchange)")
        assert cursor.rowcount == 1
    conn.close()
    problems = verify().problems
    assert "bảng public.accounts_user: nội dung các dòng khác bản sao lưu" in problems
    assert any(p.startswith("bảng public.payments_attemptchange: ") and "dòng" in p for p in problems), problems

    # A non-empty database or folder is refused, and so is a damaged backup.
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(target_dir), database_url=url, private_root=str(tmp_path / "x"))
    dump = target_dir / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(backup.BackupError, match="database.dump đã bị thay đổi"):
        backup.backup_restore(
            source=target_dir,
            database=fresh_database,
            private_root=tmp_path / "y" / "private",
            media_root=tmp_path / "y" / "media",
            allow_non_empty=True,
        )


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_folder_in_use_and_reports_a_file_the_rows_name_but_disk_lost(tmp_path):
    citizen = CitizenFactory()
    staff = agency_staff()
    submitted_dossier(staff.agency, citizen=citizen)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(CommandError, match="không trống"):
        call_command("backup", str(tmp_path / "used"))

    stored = StoredFile.objects.filter(owner=citizen).first()
    Path(settings.PRIVATE_MEDIA_ROOT, stored.file.name).unlink()  # lost between the snapshot and the copy
    with pytest.raises(CommandError, match="không còn khi sao chép"):
        call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text("utf-8"))
    assert manifest["missing_files"] == [f"private/{stored.file.name}"]
