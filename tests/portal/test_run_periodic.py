"""``manage.py run_periodic``: entries of the beat schedule run once, now, in-process (the demo
runs the daily ones when it starts; Celery beat runs them all on their schedule)."""

import io

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import Dossier
from notifications.models import Notification
from portal.management.commands.run_periodic import daily_entries
from tests.dossiers.staff import version_for
from tests.factories import AgencyFactory
from tests.notifications.workers import free_port
from tests.privacy.test_retention import draft_with_files

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("run_periodic", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_daily_entries_are_those_at_a_fixed_hour():
    daily = set(daily_entries())
    assert {"catalog-activate-due-versions", "notifications-officer-digests", "privacy-purge"} <= daily
    assert not daily & {"reports-refresh", "notifications-sweep", "national-push-due", "documents-requeue-pending"}


def test_a_named_entry_runs_now_in_this_process(django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    draft, _ = draft_with_files(version_for(agency), agency, age_days=100)
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("privacy-purge")
    assert out.startswith("privacy-purge: {'warned': 1") and not err
    assert Dossier.objects.filter(pk=draft.pk).exists()  # warned a week ahead, not deleted
    assert Notification.objects.filter(recipient=draft.owner).exists()


def test_a_failing_entry_is_reported_and_the_others_still_run(settings):
    settings.VNPAY_STATEMENT_URL = f"http://127.0.0.1:{free_port()}/statement"  # nobody answers there
    out, err = run("--daily")
    assert "payments-reconcile-statement: lỗi" in err
    ran = {line.split(":")[0] for line in out.splitlines()}
    assert ran == set(daily_entries()) - {"payments-reconcile-statement"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["khong-co"], "Không có việc định kỳ tên khong-co. Các việc có: api-purge-idempotency"),
        ([], "Hãy nêu tên việc định kỳ hoặc dùng --daily."),
    ],
)
def test_bad_names_are_refused_in_vietnamese(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
