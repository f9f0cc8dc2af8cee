"""Dossier codes stay unique when many submissions arrive at once."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from dossiers.codes import dossier_code_issue


@pytest.mark.django_db
def test_code_format_and_daily_restart():
    day1 = timezone.make_aware(datetime.datetime(2023, 10, 27, 9, 32))
    day2 = day1 + datetime.timedelta(days=1)
    assert dossier_code_issue(agency_code="000.00.06.H56", at=day1) == "000.00.06.H56-231027-0001"
    assert dossier_code_issue(agency_code="000.00.06.H56", at=day1) == "000.00.06.H56-231027-0002"
    assert dossier_code_issue(agency_code="000.00.07.H56", at=day1) == "000.00.07.H56-231027-0001"
    assert dossier_code_issue(agency_code="000.00.06.H56", at=day2) == "000.00.06.H56-231028-0001"


@pytest.mark.django_db
def test_sequence_grows_past_four_digits():
    from dossiers.models import DossierCodeCounter

    at = timezone.make_aware(datetime.datetime(2026, 1, 5, 8, 0))
    DossierCodeCounter.objects.create(agency_code="000.00.06.H56", day=at.date(), last=9999)
    assert dossier_code_issue(agency_code="000.00.06.H56", at=at) == "000.00.06.H56-260105-10000"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes(own_connections):
    """Eight threads issue codes at once: the counter's UPDATE waits for the one before it
    (PostgreSQL's row lock; on SQLite the write lock taken at BEGIN IMMEDIATE)."""
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(10):
                code = dossier_code_issue(agency_code="000.00.06.H56")
                with lock:
                    codes.append(code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(codes) == 80
    assert len(set(codes)) == 80
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 81))
