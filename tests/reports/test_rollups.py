"""The report tables follow the dossiers through the real workflow: a change marks the dossier
in its own transaction, the refresher recomputes its fact and the rollup rows of the days it
touches; new drafts are found by id; ratings and feedback mark too. Rollups always equal a
direct count from the facts; rebuilding changes nothing; the command refuses bad dates."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dossiers import processing
from dossiers.models import Dossier
from feedback import services as feedback_services
from reports import selectors, services
from reports.models import DailyAgencyStats, DossierFact, MonthlyProcedureStats, StaleDossier
from reports.periods import Period
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier
from tests.factories import CitizenFactory, online_version

pytestmark = pytest.mark.django_db


def this_month() -> Period:
    today = timezone.localdate()
    return Period("month", today.year, today.month)


def figures(agency) -> dict:
    return selectors.rolled_up(this_month(), [agency.pk]).get(agency.pk, {})


def test_workflow_changes_reach_the_rollups_through_the_marks():
    staff = agency_staff()
    d = dossier_at(staff, "received")
    assert StaleDossier.objects.filter(dossier_id=d.pk).exists()  # marked by submit and receive
    services.refresh()
    assert not StaleDossier.objects.exists()
    assert (figures(staff.agency)["received"], figures(staff.agency)["open_end"]) == (1, 1)
    from tests.dossiers.staff import DEPARTMENT

    processing.dossier_act(dossier=d, action="assign", actor=staff.desk, data={"department": DEPARTMENT})
    services.refresh()
    assert services.refresh() == 0  # nothing left: a second pass does nothing
    assert selectors.direct(this_month(), [staff.agency.pk]) == selectors.rolled_up(this_month(), [staff.agency.pk])


def test_a_returned_dossier_its_rating_and_a_complaint():
    staff = agency_staff()
    d = dossier_at(staff, "returned")
    services.refresh()
    f = figures(staff.agency)
    assert (f["ended"], f["ended_resolved"], f["resolved_e_result"], f["open_end"]) == (1, 1, 1, 0)
    feedback_services.rating_submit(
        dossier=d,
        user=d.owner,
        values={
            "overall": "dissatisfied",
            "convenience": "dissatisfied",
            "on_time": "satisfied",
            "attitude": "satisfied",
            "comment": "Phải đi lại hai lần",
        },
    )
    assert StaleDossier.objects.filter(dossier_id=d.pk).exists()
    services.refresh()
    f = figures(staff.agency)
    assert (f["ratings"], f["ratings_dissatisfied"], f["ended_complained"]) == (1, 1, 1)


def test_feedback_about_a_dossier_marks_it_as_complained():
    staff = agency_staff()
    d = dossier_at(staff, "returned")
    services.refresh()
    feedback_services.feedback_send(
        values={"kind": "report", "title": "Chậm trả kết quả", "content": "Hồ sơ trả chậm hai ngày so với hẹn."},
        user=d.owner,
        agency=staff.agency,
        dossier=d,
    )
    services.refresh()
    assert figures(staff.agency)["ended_complained"] == 1


def test_new_drafts_are_found_without_a_status_change_and_feed_the_funnel():
    version = online_version()
    agency = version.agency_roles.first().agency
    from dossiers import services as dossier_services

    for _ in range(3):
        dossier_services.dossier_start(user=CitizenFactory(), version=version, agency=agency)
    submitted_dossier(agency, version=version)
    services.refresh()
    assert DossierFact.objects.filter(agency=agency).count() == 4
    row = MonthlyProcedureStats.objects.get(agency=agency, procedure=version.procedure)
    assert (row.started_online, row.cohort_submitted, row.cohort_received) == (4, 1, 0)
    [procedure] = selectors.procedure_rows(this_month(), [agency.pk])
    assert (procedure["abandoned"], procedure["abandon_rate"]) == (3, 75.0)


def test_rollups_agree_with_the_facts_for_every_period():
    staff, other = agency_staff(), agency_staff()
    for s, point in [
        (staff, "returned"),
        (staff, "approval"),
        (staff, "received"),
        (other, "resolved"),
        (other, "submitted"),
    ]:
        dossier_at(s, point)
    services.refresh()
    today = timezone.localdate()
    periods = [this_month(), Period("year", today.year), Period("quarter", today.year, (today.month - 1) // 3 + 1)]
    for period in periods:
        assert selectors.rolled_up(period) == selectors.direct(period)
        for s in (staff, other):
            assert selectors.rolled_up(period, [s.agency.pk]) == selectors.direct(period, [s.agency.pk])
    assert figures(staff.agency)["received"] == 3 and figures(other.agency)["received"] == 1


def test_rebuilding_is_idempotent_and_drops_empty_rows():
    staff = agency_staff()
    d = dossier_at(staff, "received")
    services.refresh()
    rows = list(DailyAgencyStats.objects.values_list("day", "agency_id", "received").order_by("day"))
    today = timezone.localdate()
    services.rebuild(today - datetime.timedelta(days=3), today)
    assert list(DailyAgencyStats.objects.values_list("day", "agency_id", "received").order_by("day")) == rows
    # A correction moves the receipt 40 days back: today's row loses it, that day gains it.
    earlier = timezone.now() - datetime.timedelta(days=40)
    Dossier.objects.filter(pk=d.pk).update(received_at=earlier, submitted_at=earlier, created_at=earlier)
    services.mark_stale([d.pk])
    services.refresh()
    assert not DailyAgencyStats.objects.filter(day=today, agency=staff.agency).exists()
    assert DailyAgencyStats.objects.get(day=timezone.localtime(earlier).date(), agency=staff.agency).received == 1


def test_the_rebuild_command(capsys):
    staff = agency_staff()
    dossier_at(staff, "received")
    today = timezone.localdate()
    call_command("rollup_rebuild", "--from", f"{today - datetime.timedelta(days=14)}", "--to", f"{today}")
    assert "Đã tính lại" in capsys.readouterr().out
    DossierFact.objects.all().delete()
    DailyAgencyStats.objects.all().delete()
    call_command("rollup_rebuild", "--all")
    assert figures(staff.agency)["received"] == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rollup_rebuild", "--from", "01/12/2026", "--to", f"{today}")
    with pytest.raises(CommandError, match="sau ngày đầu"):
        call_command("rollup_rebuild", "--from", f"{today}", "--to", f"{today - datetime.timedelta(days=1)}")
    with pytest.raises(CommandError, match="--all"):
        call_command("rollup_rebuild", "--from", f"{today}")
    with pytest.raises(CommandError, match="--workers"):
        call_command("rollup_rebuild", "--all", "--workers", "0")


def test_a_rolled_back_change_leaves_no_mark():
    from django.db import transaction

    staff = agency_staff()
    d = submitted_dossier(staff.agency)
    services.refresh()
    with pytest.raises(RuntimeError), transaction.atomic():
        processing.dossier_act(dossier=d, action="receive", actor=staff.desk)
        raise RuntimeError("rolled back")
    assert not StaleDossier.objects.filter(dossier_id=d.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_facts_rebuilt_in_two_processes_are_the_same_as_in_one(monkeypatch):
    # Two processes share the dossiers once there are more than a batch of them.
    monkeypatch.setitem(services.rebuild.__kwdefaults__, "batch", 2)
    staff = agency_staff()
    for point in ("submitted", "received", "returned", "supplement", "returned"):
        dossier_at(staff, point)

    def snapshot():
        columns = [f.attname for f in DossierFact._meta.concrete_fields if f.name != "refreshed_at"]
        facts = sorted(tuple(sorted(f.items())) for f in DossierFact.objects.values(*columns))
        daily = sorted(DailyAgencyStats.objects.values_list("agency_id", "day", "received", "ended"))
        return facts, daily

    one = snapshot()  # as the refresher left them after each change
    DossierFact.objects.all().delete()
    DailyAgencyStats.objects.all().delete()
    services.rebuild_all(workers=2)
    assert snapshot() == one and len(one[0]) == 5
    # The days still to come (an open dossier late from its due date) are rebuilt too.
    assert any(day > timezone.localdate() for _, day, _, _ in one[1])


def test_766_3_2_counts_the_online_services_that_received_an_online_dossier():
    """Per agency: procedures offered there at level 3 or 4 (the agency's own level first)
    with at least one online dossier in the period; a level-2 offer or another month does
    not count."""
    from procedures.models import ProcedureAgency
    from tests.factories import AgencyFactory

    here, there = AgencyFactory(), AgencyFactory()
    level3, level4, level2 = online_version(level=3), online_version(level=4), online_version(level=3)
    for version in (level3, level4, level2):
        ProcedureAgency.objects.filter(version=version).update(agency=here)
    ProcedureAgency.objects.filter(version=level2).update(service_level=2)  # offered here at level 2 only
    ProcedureAgency.objects.bulk_create([ProcedureAgency(version=level4, agency=there, role="implementing")])
    nov, oct_ = datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)

    def month(agency, version, day, online):
        MonthlyProcedureStats.objects.create(
            agency=agency, procedure_id=version.procedure_id, month=day, received=online + 1, received_online=online
        )

    month(here, level3, nov, 2)
    month(here, level4, nov, 1)
    month(here, level2, nov, 5)  # level 2 here: not an online service
    month(there, level4, nov, 0)  # no online dossier
    month(there, level4, oct_, 3)  # another month
    used = selectors.online_services_used(Period("month", 2026, 11))
    assert used[here.pk] == {"online_used": 2, "level3_used": 1, "level4_used": 1}
    assert there.pk not in used
    assert selectors.online_services_used(Period("quarter", 2026, 4))[there.pk]["level4_used"] == 1
    assert selectors.online_services_used(Period("month", 2026, 11), [there.pk]) == {}
