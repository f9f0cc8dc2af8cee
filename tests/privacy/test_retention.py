"""The retention schedule with real files on disk: abandoned drafts are warned once, then
deleted with their files; recent, renewed and submitted dossiers stay; wallet items used
elsewhere stay; orphan files go and referenced ones stay; a second run, or two at once,
delete nothing more."""

import datetime
import os
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import Status
from dossiers.models import DocumentPage, Dossier, StoredFile
from notifications.constants import Channel, Event
from notifications.models import Notification
from privacy import retention
from privacy.models import DraftExpiryWarning, PersonalDataAccess
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, submitted_dossier, version_for
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def draft_with_files(version, agency, *, citizen=None, age_days: float = 0) -> tuple[Dossier, list[Path]]:
    """A draft with a PDF (into the wallet) and two photo pages (each with a thumbnail),
    last changed ``age_days`` ago; and the paths of its files on disk."""
    citizen = citizen or CitizenFactory()
    draft = services.dossier_start(user=citizen, version=version, agency=agency)
    services.dossier_save_draft(dossier=draft, actor=citizen, applicant={}, answers={"noi_dung": "Đề nghị"})
    first, second = services.required_documents_for(draft)[:2]
    services.document_add_files(dossier=draft, required_document=first, files=[files.pdf()], actor=citizen)
    services.document_add_files(
        dossier=draft, required_document=second, files=[files.photo("1.jpg"), files.photo("2.jpg")], actor=citizen
    )
    age(draft, age_days)
    return draft, files_of(draft)


def files_of(dossier: Dossier) -> list[Path]:
    names = [
        n
        for pair in DocumentPage.objects.filter(document__dossier=dossier).values_list("image", "thumbnail")
        for n in pair
        if n
    ]
    names += list(StoredFile.objects.filter(uses__dossier=dossier).values_list("file", flat=True))
    paths = [root() / n for n in names]
    assert paths and all(p.is_file() for p in paths)
    return paths


def age(dossier: Dossier, days: float) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture(autouse=True)
def _no_sweep_cursor():
    """The orphan sweep's resume point lives in the cache: each test starts from none."""
    from django.core.cache import cache

    cache.delete(retention.ORPHAN_CURSOR_KEY)
    yield
    cache.delete(retention.ORPHAN_CURSOR_KEY)


@pytest.fixture
def place():
    staff = agency_staff()
    return version_for(staff.agency), staff.agency


def run(now=None, **kwargs):
    return retention.retention_run(now=now or timezone.now(), budget=None, **kwargs)


def warnings_of(dossier) -> list[Notification]:
    return list(Notification.objects.filter(event=Event.DRAFT_EXPIRING, recipient=dossier.owner))


def test_an_old_draft_is_warned_once_then_deleted_with_every_file(place, django_capture_on_commit_callbacks):
    version, agency = place
    draft, paths = draft_with_files(version, agency, age_days=100)
    assert len(paths) == 5  # the PDF, two photos and their thumbnails
    now = timezone.now()

    report = run(now)
    assert report.warned == 1 and report.drafts == 0  # warned first: never deleted unannounced
    sent = warnings_of(draft)
    assert {n.channel for n in sent} == {Channel.IN_APP, Channel.EMAIL, Channel.SMS}
    assert sent[0].dossier_id is None  # outlives the draft
    assert sent[0].context["delete_on"] == f"{timezone.localtime(now + 7 * DAY):%d/%m/%Y}"
    assert str(draft.public_id) in sent[0].context["dossier_url"]
    assert run(now + DAY).warned == 0 and len(warnings_of(draft)) == 3  # once

    with django_capture_on_commit_callbacks(execute=True):
        report = run(now + 7 * DAY + datetime.timedelta(minutes=1))
    assert report.drafts == 1 and report.files == 5
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    assert not DocumentPage.objects.filter(document__dossier_id=draft.pk).exists()
    assert not StoredFile.objects.filter(owner=draft.owner).exists()  # used by this draft only
    assert not DraftExpiryWarning.objects.exists()
    assert not any(p.exists() for p in paths)
    assert not (root() / "pages" / str(draft.public_id)).exists()
    assert len(warnings_of(draft)) == 3  # the citizen keeps the message

    with django_capture_on_commit_callbacks(execute=True):
        again = run(now + 8 * DAY)
    assert again.as_dict() == retention.PurgeReport().as_dict()  # a second run: nothing more


def test_recent_drafts_and_submitted_dossiers_of_any_age_stay(place, django_capture_on_commit_callbacks):
    version, agency = place
    recent, recent_paths = draft_with_files(version, agency, age_days=80)  # not yet in the warning week
    submitted = submitted_dossier(agency, version=version)
    Dossier.objects.filter(pk=submitted.pk).update(updated_at=timezone.now() - 900 * DAY)
    submitted_paths = files_of(submitted)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = run(now)
        later = run(now + 30 * DAY - 11 * DAY)  # the recent draft is now 99 days old: only warned
    assert first.warned == 0 and later.warned == 1 and later.drafts == 0
    assert Dossier.objects.filter(pk=recent.pk).exists() and all(p.exists() for p in recent_paths)
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED
    assert all(p.exists() for p in submitted_paths)
    assert not Notification.objects.filter(event=Event.DRAFT_EXPIRING, recipient=submitted.owner).exists()


def test_opening_or_editing_a_warned_draft_renews_it(place, django_capture_on_commit_callbacks):
    version, agency = place
    opened, opened_paths = draft_with_files(version, agency, age_days=85)
    edited, _ = draft_with_files(version, agency, age_days=85)
    now = timezone.now()
    assert run(now).warned == 2

    client = Client()
    client.force_login(opened.owner)
    assert client.get(reverse("dossiers:edit", args=[opened.public_id])).status_code == 200
    services.dossier_save_draft(dossier=edited, actor=edited.owner, applicant={}, answers={"noi_dung": "Sửa"})

    with django_capture_on_commit_callbacks(execute=True):
        report = run(now + 8 * DAY)
    assert report.drafts == 0 and report.warned == 0
    assert Dossier.objects.filter(pk__in=[opened.pk, edited.pk]).count() == 2
    assert all(p.exists() for p in opened_paths)
    # Renewed: untouched again for the whole period, it is warned anew (once) and then goes.
    later = timezone.now() + 84 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        assert run(later).warned == 2
        assert run(later + 7 * DAY).drafts == 2
    assert len(warnings_of(opened)) == 6  # two warnings, three channels each


def test_a_wallet_item_another_dossier_uses_is_kept(place, django_capture_on_commit_callbacks):
    version, agency = place
    citizen = CitizenFactory()
    draft, paths = draft_with_files(version, agency, citizen=citizen, age_days=100)
    pdf_item = StoredFile.objects.get(uses__dossier=draft)
    # The same citizen reuses the draft's PDF in a dossier of another procedure.
    other = services.dossier_start(user=citizen, version=version_for(agency), agency=agency)
    slot = services.required_documents_for(other)[0]
    services.document_use_wallet_item(dossier=other, required_document=slot, item=pdf_item, actor=citizen)
    now = timezone.now()
    run(now)
    age(other, 1)  # the other draft is recent
    with django_capture_on_commit_callbacks(execute=True):
        report = run(now + 8 * DAY)
    assert report.drafts == 1 and report.files == 4  # the photos and thumbnails only
    assert StoredFile.objects.filter(pk=pdf_item.pk).exists()
    assert (root() / pdf_item.file.name).is_file()
    assert not any(p.exists() for p in paths if p.name != Path(pdf_item.file.name).name)


def test_a_draft_with_a_payment_attempt_is_never_deleted(place, django_capture_on_commit_callbacks):
    from payments.models import PaymentAttempt

    version, agency = place
    draft, paths = draft_with_files(version, agency, age_days=100)
    PaymentAttempt.objects.create(dossier=draft, amount=50000, txn_ref="DRAFT0001", method="vnpay")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run(now)
        assert run(now + 8 * DAY).drafts == 0
    assert Dossier.objects.filter(pk=draft.pk).exists() and all(p.exists() for p in paths)


def test_work_goes_in_batches_and_stops_at_the_time_budget(place, monkeypatch, django_capture_on_commit_callbacks):
    version, agency = place
    drafts = [draft_with_files(version, agency, age_days=100)[0] for _ in range(5)]
    monkeypatch.setattr(retention, "BATCH", 2)
    now = timezone.now()
    assert retention.retention_run(now=now, budget=0).more is True  # out of time at once: nothing done
    assert not DraftExpiryWarning.objects.exists()
    assert run(now).warned == 5
    with django_capture_on_commit_callbacks(execute=True):
        report = run(now + 8 * DAY)
    assert report.drafts == 5 and report.files == 25 and report.more is False
    assert not Dossier.objects.filter(pk__in=[d.pk for d in drafts]).exists()


def test_the_task_runs_the_schedule(place):
    from privacy.tasks import purge

    version, agency = place
    draft_with_files(version, agency, age_days=100)
    result = purge.apply().get()
    assert result["warned"] == 1 and result["more"] is False


def test_the_settings_choose_the_periods(place, settings):
    version, agency = place
    settings.DOSSIER_DRAFT_RETENTION_DAYS = 30
    settings.DOSSIER_DRAFT_WARNING_DAYS = 3
    old, _ = draft_with_files(version, agency, age_days=28)
    young, _ = draft_with_files(version, agency, age_days=26)
    now = timezone.now()
    assert run(now).warned == 1
    assert DraftExpiryWarning.objects.get().dossier_id == old.pk
    assert DraftExpiryWarning.objects.get().delete_after == now + 3 * DAY  # at least the warning period
    assert run(now + 2 * DAY).drafts == 0
    assert run(now + 3 * DAY + datetime.timedelta(seconds=1)).drafts == 1
    assert Dossier.objects.filter(pk=young.pk).exists()


# --- orphan files -----------------------------------------------------------------------------


def _old_file(relative: str, days: float = 2) -> Path:
    path = root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"orphan")
    then = (timezone.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(path, (then, then))
    return path


def test_orphan_files_go_referenced_and_young_ones_stay(place):
    version, agency = place
    draft, paths = draft_with_files(version, agency)
    for p in paths:  # the draft's real files are old, and referenced
        then = (timezone.now() - 3 * DAY).timestamp()
        os.utime(p, (then, then))
    owner = draft.owner_id
    orphans = [
        _old_file(f"pages/{draft.public_id}/rolled-back.jpg"),
        _old_file("pages/7b0d5a56-2d4b-4c1e-9b1a-0f6f3c1e2a11/of-a-deleted-dossier.jpg"),
        _old_file(f"wallet/{owner}/rolled-back.pdf"),
        _old_file(f"forms/{draft.public_id}/mau-01-x.pdf"),
        _old_file("receipts/999999/BL-1.pdf"),
    ]
    kept = [
        _old_file(f"pages/{draft.public_id}/just-uploaded.jpg", days=0.5),  # younger than a day
        _old_file("other/unknown-folder.pdf"),  # not a layout the sweep knows
        _old_file("top-level.txt"),
        _old_file("pages/not-a-uuid/file.jpg"),
    ]
    deleted, finished = retention.orphan_files_purge()
    assert (deleted, finished) == (5, True)
    assert not any(p.exists() for p in orphans)
    assert all(p.exists() for p in kept + paths)
    assert retention.orphan_files_purge() == (0, True)  # a second run: nothing more


def test_a_file_filed_under_another_folder_than_its_row_says_is_not_taken_for_an_orphan(place):
    version, agency = place
    draft, _ = draft_with_files(version, agency)
    item = StoredFile.objects.get(uses__dossier=draft)
    moved = f"wallet/{draft.owner_id + 1000}/{Path(item.file.name).name}"
    target = _old_file(moved)
    StoredFile.objects.filter(pk=item.pk).update(file=moved)
    assert retention.orphan_files_purge() == (0, True)
    assert target.exists()


def test_an_interrupted_orphan_sweep_resumes_where_it_stopped(place, monkeypatch):
    from django.core.cache import cache

    cache.delete(retention.ORPHAN_CURSOR_KEY)
    first = _old_file("wallet/1/a.pdf")
    second = _old_file("wallet/2/b.pdf")
    calls = iter([False, True])
    clock = retention._Clock(None)
    monkeypatch.setattr(clock, "out", lambda: next(calls, True))
    assert retention.orphan_files_purge(clock=clock) == (1, False)
    assert not first.exists() and second.exists()
    assert retention.orphan_files_purge() == (1, True)
    assert not second.exists() and cache.get(retention.ORPHAN_CURSOR_KEY) is None


# --- access records ---------------------------------------------------------------------------


def test_access_records_older_than_the_retention_go(place, settings):
    from tests.factories import UserFactory

    officer = UserFactory()
    now = timezone.now()
    old = PersonalDataAccess.objects.create(officer=officer, kind="dossier", at=now - 731 * DAY)
    kept = PersonalDataAccess.objects.create(officer=officer, kind="dossier", at=now - 729 * DAY)
    assert retention.access_log_purge(now=now) == 1
    assert list(PersonalDataAccess.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 365
    assert retention.access_log_purge(now=now) == 1
    assert retention.access_log_purge(now=now) == 0


# --- two runs at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_share_the_work_and_lose_nothing_else(own_connections):
    # PostgreSQL: each run skips the dossiers the other holds (SKIP LOCKED); SQLite has no
    # row locks, and its runs take turns at the write lock: either way each draft goes once.
    staff = agency_staff()
    version = version_for(staff.agency)
    doomed = [draft_with_files(version, staff.agency, age_days=100) for _ in range(8)]
    keeper, keeper_paths = draft_with_files(version, staff.agency, age_days=10)
    now = timezone.now()
    retention.drafts_warn(now=now)
    results, errors = [], []

    def worker():
        try:
            report = retention.drafts_purge(now=now + 8 * DAY)
            results.append((report.drafts, report.files))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(n for n, _ in results) == 8 and sum(f for _, f in results) == 40
    assert not Dossier.objects.filter(pk__in=[d.pk for d, _ in doomed]).exists()
    assert not any(p.exists() for _, paths in doomed for p in paths)
    assert Dossier.objects.filter(pk=keeper.pk).exists() and all(p.exists() for p in keeper_paths)
    again = retention.drafts_purge(now=now + 8 * DAY)
    assert (again.drafts, again.files) == (0, 0)
