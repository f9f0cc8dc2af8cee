"""The retention schedule (thời hạn lưu trữ): what is deleted, when, and how safely.

* Abandoned drafts (hồ sơ nháp bỏ dở): a draft nobody opened or edited for
  ``DOSSIER_DRAFT_RETENTION_DAYS`` is deleted with its files (page photos and their
  thumbnails, generated PDFs, wallet items that no other dossier uses); its owner is
  warned ``DOSSIER_DRAFT_WARNING_DAYS`` before (``drafts_warn``), and a draft is deleted
  only once a still-valid warning is that old, so nobody loses a draft unannounced even
  when the schedule did not run for a while. Opening or editing the draft renews it
  (``draft_renew``, and every save through ``updated_at``). A draft with a payment
  attempt is never deleted (the ledger keeps it).
* Orphan files: a file in private storage older than ``ORPHAN_MIN_AGE`` that no row names
  (an upload whose transaction rolled back, a deletion interrupted before its files went).
* Access records older than ``PRIVACY_ACCESS_LOG_RETENTION_DAYS``.

Every step works in batches, each in its own transaction, takes its rows with
``SELECT … FOR UPDATE SKIP LOCKED`` and checks the condition again under the lock, so
two runs at once share the work and a second run finds nothing more to do. Files are
removed from disk only after the rows that named them are gone for good (on commit).
"""

import contextlib
import datetime
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from dossiers.constants import Status
from dossiers.models import DocumentPage, Dossier, DossierDocument, Result, StoredFile
from dossiers.storage import private_storage

from .models import DraftExpiryWarning, PersonalDataAccess

logger = logging.getLogger(__name__)

BATCH = 200
ACCESS_BATCH = 5000
# Opening a draft renews it; within this long of the last change the change already did.
RENEW_AFTER = datetime.timedelta(hours=1)
ORPHAN_MIN_AGE = datetime.timedelta(days=1)
ORPHAN_CURSOR_KEY = "privacy:orphan-cursor"
# One run stops starting new batches after this long (the task's soft limit is 540 s) and
# queues the next run, which continues.
TIME_BUDGET_SECONDS = 420


def retention_days() -> int:
    return int(settings.DOSSIER_DRAFT_RETENTION_DAYS)


def warning_days() -> int:
    return min(int(settings.DOSSIER_DRAFT_WARNING_DAYS), retention_days())


@dataclass
class PurgeReport:
    warned: int = 0
    drafts: int = 0
    files: int = 0
    orphans: int = 0
    access_records: int = 0
    more: bool = False  # stopped at the time budget with work left

    def as_dict(self) -> dict:
        return asdict(self)


class _Clock:
    def __init__(self, budget: float | None):
        self.deadline = None if budget is None else time.monotonic() + budget

    def out(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline


def draft_renew(*, dossier: Dossier, now: datetime.datetime | None = None) -> bool:
    """Opening a draft renews it (its owner or the counter officer came back to it): its
    retention starts again, and a warning already sent no longer applies. One UPDATE,
    only when the last change is more than ``RENEW_AFTER`` old."""
    if dossier.status != Status.DRAFT:
        return False
    now = now or timezone.now()
    if dossier.updated_at and dossier.updated_at > now - RENEW_AFTER:
        return False
    renewed = Dossier.objects.filter(pk=dossier.pk, status=Status.DRAFT).update(updated_at=now)
    dossier.updated_at = now
    return bool(renewed)


def _warn_due(now: datetime.datetime) -> Q:
    """Drafts within the warning period of their deletion with no warning valid for them."""
    due = now - datetime.timedelta(days=retention_days() - warning_days())
    unwarned = Q(expiry_warning__isnull=True) | Q(expiry_warning__warned_at__lt=F("updated_at"))
    return Q(status=Status.DRAFT, updated_at__lt=due) & unwarned


def _purge_due(now: datetime.datetime) -> Q:
    """Drafts past their retention, warned since their last change, at least the warning
    period ago, and with no payment attempt."""
    from payments.models import PaymentAttempt

    return Q(
        Q(status=Status.DRAFT, updated_at__lt=now - datetime.timedelta(days=retention_days())),
        expiry_warning__warned_at__gte=F("updated_at"),
        expiry_warning__warned_at__lte=now - datetime.timedelta(days=warning_days()),
    ) & ~Q(Exists(PaymentAttempt.objects.filter(dossier_id=OuterRef("pk"))))


def _batches(condition: Q, clock: _Clock) -> Iterable[list[int]]:
    """Ids of the dossiers meeting ``condition``, BATCH at a time, by id (keyset)."""
    last = 0
    while not clock.out():
        ids = list(Dossier.objects.filter(condition, pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _locked(condition: Q, ids: list[int]) -> list[Dossier]:
    """The dossiers of ``ids`` still meeting ``condition``, locked; those another run holds
    are skipped (it deals with them)."""
    return list(
        Dossier.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition, pk__in=ids)
        .select_related("procedure_version", "agency", "owner", "counter_officer")
        .order_by("pk")
    )


def drafts_warn(*, now: datetime.datetime | None = None, clock: _Clock | None = None) -> int:
    """Warn the owners of drafts that will be deleted in ``DOSSIER_DRAFT_WARNING_DAYS``
    (``notifications.services.notifications_for_draft_expiry``). Once per draft as it
    stood: the warning is recorded with the draft, in the same transaction."""
    from notifications.services import notifications_for_draft_expiry

    now = now or timezone.now()
    clock = clock or _Clock(None)
    condition = _warn_due(now)
    warned = 0
    for ids in _batches(condition, clock):
        with transaction.atomic():
            for dossier in _locked(condition, ids):
                delete_after = max(
                    dossier.updated_at + datetime.timedelta(days=retention_days()),
                    now + datetime.timedelta(days=warning_days()),
                )
                DraftExpiryWarning.objects.update_or_create(
                    dossier=dossier, defaults={"warned_at": now, "delete_after": delete_after}
                )
                notifications_for_draft_expiry(dossier, delete_after=delete_after, retention_days=retention_days())
                warned += 1
    if warned:
        logger.info("privacy: warned the owners of %d abandoned drafts", warned)
    return warned


def _files_of(ids: list[int]) -> tuple[list[str], list[int]]:
    """The stored names of the files that go with the dossiers ``ids``, and the wallet
    items (``StoredFile``) to delete with them: those attached to or made from them that
    no other dossier document or result uses."""
    from payments.models import Receipt
    from printing.models import IssuedForm

    names: list[str] = []
    for image, thumbnail in DocumentPage.objects.filter(document__dossier_id__in=ids).values_list("image", "thumbnail"):
        names.extend(n for n in (image, thumbnail) if n)
    names.extend(n for n in IssuedForm.objects.filter(dossier_id__in=ids).values_list("file", flat=True) if n)
    names.extend(n for n in Receipt.objects.filter(attempt__dossier_id__in=ids).values_list("file", flat=True) if n)
    used_elsewhere = DossierDocument.objects.filter(stored_file_id=OuterRef("pk")).exclude(dossier_id__in=ids)
    items = list(
        StoredFile.objects.filter(Q(uses__dossier_id__in=ids) | Q(source_dossier_id__in=ids))
        .filter(~Q(Exists(used_elsewhere)), ~Q(Exists(Result.objects.filter(stored_file_id=OuterRef("pk")))))
        .distinct()
        .values_list("pk", "file")
    )
    names.extend(name for _, name in items if name)
    return names, [pk for pk, _ in items]


def _remove_files(names: list[str], folders: list[str]) -> int:
    """Delete the files (a missing one is fine: a previous run got it) and then the
    dossiers' own folders if empty."""
    storage = private_storage()
    removed = 0
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        except OSError:
            logger.warning("privacy: could not delete %s (the orphan sweep will retry)", name, exc_info=True)
    root = Path(storage.location)
    for folder in folders:
        with contextlib.suppress(OSError):  # not empty, or not there
            (root / folder).rmdir()
    return removed


def drafts_purge(
    *, now: datetime.datetime | None = None, clock: _Clock | None = None, report: PurgeReport | None = None
) -> PurgeReport:
    """Delete the abandoned drafts that are due, with their files; counted in ``report``
    (its ``files`` grow as each batch's files go, after its commit)."""
    now = now or timezone.now()
    clock = clock or _Clock(None)
    report = report if report is not None else PurgeReport()
    condition = _purge_due(now)
    for ids in _batches(condition, clock):
        try:
            with transaction.atomic():
                locked = _locked(condition, ids)
                if not locked:
                    continue
                ids_locked = [d.pk for d in locked]
                names, items = _files_of(ids_locked)
                folders = [f"{top}/{d.public_id}" for d in locked for top in ("pages", "forms")]
                folders += [f"receipts/{d.pk}" for d in locked]
                Dossier.objects.filter(pk__in=ids_locked).delete()
                StoredFile.objects.filter(pk__in=items).delete()
                for d in locked:
                    logger.info(
                        "privacy: deleted abandoned draft %s (owner %s, last change %s)",
                        d.public_id,
                        d.owner_id,
                        d.updated_at.isoformat(),
                    )

                def remove(names=names, folders=folders) -> None:
                    report.files += _remove_files(names, folders)

                transaction.on_commit(remove)
        except DatabaseError:
            # A wallet item taken into another dossier meanwhile (its foreign key is checked
            # at commit): nothing of the batch is deleted; the next run sees the new use.
            logger.warning("privacy: a batch of drafts was not deleted; the next run retries", exc_info=True)
            continue
        report.drafts += len(ids_locked)
    return report


# --- Orphan files --------------------------------------------------------------------------


def _referenced(top: str, key: str) -> Callable[[], set[str]]:
    """The names rows give to files under ``top/key/`` (each layout is keyed by an indexed
    column: the dossier's public id, the owner's id, the dossier's id)."""
    from payments.models import Receipt
    from printing.models import IssuedForm

    def pages() -> set[str]:
        rows = DocumentPage.objects.filter(document__dossier__public_id=key).values_list("image", "thumbnail")
        return {n for pair in rows for n in pair if n}

    def forms() -> set[str]:
        return set(IssuedForm.objects.filter(dossier__public_id=key).values_list("file", flat=True))

    def wallet() -> set[str]:
        return set(StoredFile.objects.filter(owner_id=int(key)).values_list("file", flat=True))

    def receipts() -> set[str]:
        return set(Receipt.objects.filter(attempt__dossier_id=int(key)).values_list("file", flat=True))

    return {"pages": pages, "forms": forms, "wallet": wallet, "receipts": receipts}[top]


ORPHAN_LAYOUTS = ("forms", "pages", "receipts", "wallet")


def _valid_key(top: str, key: str) -> bool:
    if top in ("wallet", "receipts"):
        return key.isdigit() and len(key) < 19
    import uuid

    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True


def _named_anywhere(names: list[str]) -> set[str]:
    """Of ``names``, those some row names wherever it is filed (a safety net for a file
    whose folder does not match its row's key; not expected, never trusted away)."""
    from payments.models import Receipt
    from printing.models import IssuedForm

    found: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        found.update(StoredFile.objects.filter(file__in=chunk).values_list("file", flat=True))
        for image, thumbnail in DocumentPage.objects.filter(Q(image__in=chunk) | Q(thumbnail__in=chunk)).values_list(
            "image", "thumbnail"
        ):
            found.update({image, thumbnail})
        found.update(IssuedForm.objects.filter(file__in=chunk).values_list("file", flat=True))
        found.update(Receipt.objects.filter(file__in=chunk).values_list("file", flat=True))
    return found


def orphan_files_purge(*, clock: _Clock | None = None) -> tuple[int, bool]:
    """Delete files under the private storage's known folders (``pages``, ``forms``,
    ``wallet``, ``receipts``) older than ``ORPHAN_MIN_AGE`` that no row names. Anything
    else there (another folder, a file at the top) is left alone. Resumes where an
    interrupted run stopped (a cursor in the cache). Returns (files deleted, finished).
    Ages are the files' own times against the wall clock."""
    clock = clock or _Clock(None)
    oldest = time.time() - ORPHAN_MIN_AGE.total_seconds()
    root = Path(private_storage().location)
    cursor = cache.get(ORPHAN_CURSOR_KEY) or ("", "")
    deleted = 0
    for top in ORPHAN_LAYOUTS:
        if (top,) < (cursor[0],) or not (root / top).is_dir():
            continue
        keys = sorted(e.name for e in os.scandir(root / top) if e.is_dir(follow_symlinks=False))
        for key in keys:
            if (top, key) <= tuple(cursor):
                continue
            if clock.out():
                cache.set(ORPHAN_CURSOR_KEY, cursor, 7 * 24 * 3600)
                return deleted, False
            if _valid_key(top, key):
                deleted += _sweep_folder(root, top, key, oldest)
            cursor = (top, key)
    cache.delete(ORPHAN_CURSOR_KEY)
    if deleted:
        logger.info("privacy: deleted %d orphan files", deleted)
    return deleted, True


def _sweep_folder(root: Path, top: str, key: str, oldest: float) -> int:
    folder = root / top / key
    old = []
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < oldest:
            old.append(f"{top}/{key}/{entry.name}")
    if not old:
        return 0
    candidates = sorted(set(old) - _referenced(top, key)())
    if not candidates:
        return 0
    orphans = [n for n in candidates if n not in _named_anywhere(candidates)]
    removed = 0
    for name in orphans:
        try:
            (root / name).unlink()
            removed += 1
            logger.info("privacy: deleted orphan file %s", name)
        except FileNotFoundError:
            pass
    # The folder stays, even empty: an upload to it may be under way.
    return removed


# --- Access records ------------------------------------------------------------------------


def access_log_purge(*, now: datetime.datetime | None = None, clock: _Clock | None = None) -> int:
    """Delete access records older than ``PRIVACY_ACCESS_LOG_RETENTION_DAYS`` (index
    ``access_at``), ACCESS_BATCH at a time."""
    now = now or timezone.now()
    clock = clock or _Clock(None)
    cutoff = now - datetime.timedelta(days=int(settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS))
    deleted = 0
    while not clock.out():
        ids = list(
            PersonalDataAccess.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)[:ACCESS_BATCH]
        )
        if not ids:
            break
        deleted += PersonalDataAccess.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        logger.info("privacy: deleted %d access records older than %s", deleted, cutoff.date())
    return deleted


def retention_run(*, now: datetime.datetime | None = None, budget: float | None = TIME_BUDGET_SECONDS) -> PurgeReport:
    """The whole schedule once: warn, delete due drafts, orphan files, old access records.
    ``more`` says the time budget ran out with work left (the task queues another run)."""
    now = now or timezone.now()
    clock = _Clock(budget)
    report = PurgeReport()
    report.warned = drafts_warn(now=now, clock=clock)
    drafts_purge(now=now, clock=clock, report=report)
    report.orphans, finished = orphan_files_purge(clock=clock)
    report.access_records = access_log_purge(now=now, clock=clock)
    report.more = clock.out() or not finished
    logger.info("privacy: retention run %s", report.as_dict())
    return report
