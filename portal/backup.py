"""Backup and restore (sao lưu và phục hồi): the PostgreSQL database and both file trees.

One backup is a folder:

- ``database.dump``: ``pg_dump --format=custom`` of the database, taken in an exported
  snapshot (``pg_export_snapshot``) so that the dump, the row counts and checksums in the
  manifest and the list of files the rows name all describe the same instant;
- ``files.tar``: the private files (``PRIVATE_MEDIA_ROOT``: citizens' attachments, generated
  PDFs, receipts) under ``private/`` and the public media (``MEDIA_ROOT``) under ``media/``,
  copied after the snapshot was taken;
- ``manifest.json``: when, the tool versions, the applied migrations, per table the row count
  and a checksum of its rows, the sha256 and size of every file and of the dump, and any file
  a row names that was not there to copy.

Files are written before the row that names them commits and are not rewritten in place, so
every file a row of the snapshot names is on disk when the copy starts; a file deleted in the
meantime (a draft purged during the backup) is reported in ``missing_files`` and makes the
backup fail, to be taken again. Files newer than the snapshot are copied too (orphans, harmless).

``backup_restore`` checks the backup against its manifest before touching anything, restores
into an empty database and empty file folders (it refuses others unless told), then
``backup_verify`` compares the restored database and files with the manifest. See
docs/OPERATIONS.md "Backups" for the schedule, retention and the restore drill.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess  # nosec B404 # runs pg_dump and pg_restore with argument lists, never a shell
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
import psycopg2
from django.apps import apps
from django.db import models

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files.tar"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be done (the message says why, in Vietnamese)."""


@dataclass
class VerifyReport:
    """What a restore verification found: problems empty means the copy equals the manifest."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Connections ------------------------------------------------------------------------------


def libpq_env(database: dict) -> dict[str, str]:
    """``PG*`` variables for pg_dump/pg_restore from a Django ``settings_dict`` (the password
    never goes on a command line, where other users of the machine could read it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def connect(database: dict):
    options = database.get("OPTIONS") or {}
    return psycopg2.connect(
        dbname=database["NAME"],
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        sslmode=options.get("sslmode"),
        options="-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=3",
    )


def _run(command: list[str], env: dict[str, str]) -> str:
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603 # argument list
    if run.returncode:
        raise BackupError(f"{command[0]} thất bại (mã {run.returncode}): {run.stderr.strip()[-2000:]}")
    return run.stdout


def _tool_version(tool: str) -> str:
    return _run([shutil.which(tool) or tool, "--version"], dict(os.environ)).strip()


# --- Database figures -----------------------------------------------------------------------------


def user_tables(cursor) -> list[str]:
    """Every ordinary table outside PostgreSQL's own schemas, as ``schema.table``."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'
        ORDER BY 1, 2
        """
    )
    return [f"{schema}.{name}" for schema, name in cursor.fetchall()]


def _quoted(table: str) -> str:
    schema, name = table.split(".", 1)
    return '"{}"."{}"'.format(schema.replace('"', '""'), name.replace('"', '""'))


def table_figures(cursor) -> dict[str, dict]:
    """Per table its row count and a checksum of its rows: the sum of the first 64 bits of
    each row's md5 (of its text form), which does not depend on row order and needs no sort."""
    figures = {}
    for table in user_tables(cursor):
        cursor.execute(
            "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint), 0)::text "
            f"FROM {_quoted(table)} t"  # nosec B608 # a table name read from pg_class, quoted
        )
        rows, checksum = cursor.fetchone()
        figures[table] = {"rows": rows, "checksum": checksum}
    return figures


def _migrations(cursor) -> list[str]:
    cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
    return [name for (name,) in cursor.fetchall()]


def referenced_files(cursor) -> dict[str, set[str]]:
    """The file names that rows hold in the models' FileFields, by storage root
    (``private`` or ``media``)."""
    from dossiers.storage import private_storage

    found: dict[str, set[str]] = {"private": set(), "media": set()}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            root = "private" if getattr(f, "_storage_callable", None) is private_storage else "media"
            table = f"{connection_schema(cursor)}.{model._meta.db_table}"
            column = f.column.replace('"', '""')
            cursor.execute(
                f'SELECT DISTINCT "{column}" FROM {_quoted(table)} '  # nosec B608 # model names, quoted
                f'WHERE "{column}" IS NOT NULL AND "{column}" <> \'\''
            )
            found[root].update(name for (name,) in cursor.fetchall())
    return found


def connection_schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return cursor.fetchone()[0]


# --- Files ----------------------------------------------------------------------------------------


def walk_files(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    """Add one file to the archive and hash exactly the bytes that went in."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        data = fh.read()
    digest.update(data)
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o640
    archive.addfile(info, io.BytesIO(data))
    return {"sha256": digest.hexdigest(), "size": len(data)}


def files_in(roots: dict[str, Path]) -> dict[str, dict]:
    """``private/…`` and ``media/…`` → sha256 and size of each file under the roots."""
    found = {}
    for label, root in roots.items():
        for path in walk_files(root):
            found[f"{label}/{path.relative_to(root).as_posix()}"] = {
                "sha256": sha256_file(path),
                "size": path.stat().st_size,
            }
    return found


# --- Backup ---------------------------------------------------------------------------------------


def backup_create(*, target: Path, database: dict, private_root: Path, media_root: Path) -> dict:
    """Take a backup into ``target`` (a new or empty folder) and return its manifest."""
    started = time.monotonic()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục sao lưu {target} không trống.")
    target.mkdir(parents=True, exist_ok=True)
    env = libpq_env(database)
    pg_dump = shutil.which("pg_dump") or "pg_dump"

    snapshot_conn = connect(database)
    try:
        snapshot_conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snapshot_conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), now(), current_setting('server_version')")
            snapshot, taken_at, server_version = cursor.fetchone()
            # The dump and every figure below read this one snapshot.
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(target / DUMP)], env)
            tables = table_figures(cursor)
            migrations = _migrations(cursor)
            referenced = referenced_files(cursor)
    finally:
        snapshot_conn.rollback()
        snapshot_conn.close()

    roots = {"private": Path(private_root), "media": Path(media_root)}
    files: dict[str, dict] = {}
    with tarfile.open(target / FILES, "w") as archive:
        for label, root in roots.items():
            for path in walk_files(root):
                name = f"{label}/{path.relative_to(root).as_posix()}"
                files[name] = _add_file(archive, path, name)
    missing = sorted(
        f"{label}/{name}" for label, names in referenced.items() for name in names if f"{label}/{name}" not in files
    )

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "snapshot_at": taken_at.astimezone(datetime.UTC).isoformat(),
        "database": database.get("NAME"),
        "tools": {
            "pg_dump": _tool_version("pg_dump"),
            "postgresql_server": server_version,
            "python": platform.python_version(),
            "django": django.get_version(),
        },
        "migrations": migrations,
        "tables": tables,
        "dump": {"sha256": sha256_file(target / DUMP), "size": (target / DUMP).stat().st_size},
        "archive": {"sha256": sha256_file(target / FILES), "size": (target / FILES).stat().st_size},
        "files": files,
        "missing_files": missing,
    }
    manifest["seconds"] = round(time.monotonic() - started, 3)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    if missing:
        raise BackupError(
            f"{len(missing)} tệp mà cơ sở dữ liệu nhắc đến không còn khi sao chép (bị xóa trong lúc sao lưu?): "
            f"{', '.join(missing[:10])}. Hãy sao lưu lại."
        )
    return manifest


# --- Restore and verify -----------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"Không có {MANIFEST} trong {source}.")
    manifest = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Định dạng bản sao lưu {manifest.get('format')} không được hỗ trợ.")
    return manifest


def check_backup(source: Path, manifest: dict) -> list[str]:
    """The backup's own files against its manifest, before anything is restored."""
    problems = []
    for name, key in ((DUMP, "dump"), (FILES, "archive")):
        path = Path(source) / name
        if not path.exists():
            problems.append(f"thiếu {name}")
        elif sha256_file(path) != manifest[key]["sha256"]:
            problems.append(f"{name} đã bị thay đổi (sha256 khác với manifest)")
    return problems


def _is_empty_database(database: dict) -> bool:
    conn = connect(database)
    try:
        with conn.cursor() as cursor:
            return not user_tables(cursor)
    finally:
        conn.close()


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def backup_restore(
    *, source: Path, database: dict, private_root: Path, media_root: Path, allow_non_empty: bool = False
) -> VerifyReport:
    """Restore the backup in ``source`` into ``database`` and the two file folders, then verify."""
    source = Path(source)
    manifest = read_manifest(source)
    if problems := check_backup(source, manifest):
        raise BackupError("Bản sao lưu hỏng: " + "; ".join(problems))
    roots = {"private": Path(private_root), "media": Path(media_root)}
    if not allow_non_empty:
        if not _is_empty_database(database):
            raise BackupError(f"Cơ sở dữ liệu {database['NAME']} không trống; phục hồi vào một cơ sở dữ liệu mới.")
        for root in roots.values():
            if not _is_empty_dir(root):
                raise BackupError(f"Thư mục {root} không trống; phục hồi vào một thư mục mới.")

    pg_restore = shutil.which("pg_restore") or "pg_restore"
    command = [pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
    if allow_non_empty:
        command += ["--clean", "--if-exists"]
    env = libpq_env(database)
    _run([*command, "--dbname", env.get("PGDATABASE", database["NAME"]), str(source / DUMP)], env)

    with tarfile.open(source / FILES, "r") as archive:
        for member in archive.getmembers():
            label, _, relative = member.name.partition("/")
            if label not in roots or not member.isfile():
                raise BackupError(f"Mục lạ trong {FILES}: {member.name}")
            destination = roots[label]
            destination.mkdir(parents=True, exist_ok=True)
            member.name = relative
            archive.extract(member, destination, filter="data")
    return backup_verify(manifest=manifest, database=database, private_root=private_root, media_root=media_root)


def backup_verify(*, manifest: dict, database: dict, private_root: Path, media_root: Path) -> VerifyReport:
    """Compare a database and the two file folders with a backup's manifest."""
    started = time.monotonic()
    report = VerifyReport()
    conn = connect(database)
    try:
        with conn.cursor() as cursor:
            tables = table_figures(cursor)
            migrations = _migrations(cursor) if "public.django_migrations" in tables else []
    finally:
        conn.close()
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(tables)):
        want, got = expected.get(table), tables.get(table)
        if want is None:
            report.problems.append(f"bảng {table} không có trong bản sao lưu")
        elif got is None:
            report.problems.append(f"thiếu bảng {table}")
        elif got["rows"] != want["rows"]:
            report.problems.append(f"bảng {table}: {got['rows']} dòng, bản sao lưu có {want['rows']}")
        elif got["checksum"] != want["checksum"]:
            report.problems.append(f"bảng {table}: nội dung các dòng khác bản sao lưu")
    if migrations != manifest["migrations"]:
        report.problems.append("trạng thái migration khác bản sao lưu")
    report.tables = len(tables)
    report.rows = sum(t["rows"] for t in tables.values())

    files = files_in({"private": Path(private_root), "media": Path(media_root)})
    for name in sorted(set(manifest["files"]) | set(files)):
        want, got = manifest["files"].get(name), files.get(name)
        if want is None:
            report.problems.append(f"tệp {name} không có trong bản sao lưu")
        elif got is None:
            report.problems.append(f"thiếu tệp {name}")
        elif got["sha256"] != want["sha256"]:
            report.problems.append(f"tệp {name} khác bản sao lưu (sha256)")
    report.files = len(files)
    report.bytes = sum(f["size"] for f in files.values())
    report.seconds = round(time.monotonic() - started, 3)
    return report
