"""``generate_province`` on a small province: the sizes asked for, rows consistent with
what the state machine writes, and the portal's pages and reports work on the result."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from dossiers.constants import Status
from dossiers.models import Dossier, StatusChange
from portal.province import ID_BASE, PATHS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres(
    reason="generate_province writes the rows in SQL with generate_series (and the test reads them with "
    "array_agg), which SQLite lacks; it is the benchmarks' province of millions of dossiers, not the demo's"
)
def test_a_small_province_is_generated_consistently(client):
    call_command("generate_province", dossiers=3000, citizens=800, procedures=360, agencies=64, years=3, verbosity=0)
    generated = Dossier.objects.filter(pk__gt=ID_BASE)
    assert generated.count() == 3000
    from accounts.models import User
    from procedures.models import Agency, ProcedureVersion

    assert User.objects.filter(username__startswith="dan.").count() == 800
    assert Agency.objects.filter(effective_to__isnull=True).count() == 64
    assert ProcedureVersion.objects.filter(is_current=True).count() >= 360
    # Every status shows up, and each dossier's history is the path of its status, in time order.
    assert set(generated.values_list("status", flat=True)) == set(range(11))
    with connection.cursor() as cur:
        cur.execute(
            """SELECT d.status, array_agg(c.to_status ORDER BY c.at, c.id)
               FROM dossiers_dossier d JOIN dossiers_statuschange c ON c.dossier_id = d.id
               WHERE d.id > %s GROUP BY d.id, d.status""",
            [ID_BASE],
        )
        for status, seen in cur.fetchall():
            assert seen == [to for _, to, _, _ in PATHS[status]], (status, seen)
    assert not StatusChange.objects.filter(dossier__pk__gt=ID_BASE, dossier__status=Status.DRAFT).exists()
    codes = list(generated.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) and all(code.rsplit("-", 1)[1] > "5000" for code in codes)
    online = generated.filter(channel=2).exclude(status=0)
    assert online.exists() and not online.filter(owner=None).exists()
    waiting = generated.filter(status=Status.SUPPLEMENT_REQUESTED).first()
    assert waiting.supplements.filter(answered_at=None).exists()
    # The portal works on it: the owner's page, the officer's page, tracking, the reports.
    returned = generated.filter(status=Status.RETURNED, channel=2).first()
    client.force_login(returned.owner)
    assert client.get(f"/ho-so/{returned.public_id}/").status_code == 200
    from accounts.models import StaffAssignment

    desk = StaffAssignment.objects.filter(agency=returned.agency, role="one_stop_officer").first().user
    client.force_login(desk)
    assert client.get(f"/can-bo/ho-so/{returned.code}/").status_code == 200
    assert client.get("/can-bo/").status_code == 200
    client.logout()
    track = client.get("/tra-cuu/", {"ma": returned.code, "so": returned.applicant_id_number[-4:]})
    assert track.status_code == 200 and returned.code in track.content.decode()
    call_command("rollup_rebuild", all=True, verbosity=0)
    from reports.models import DossierFact

    assert DossierFact.objects.filter(dossier_id__gt=ID_BASE).count() == 3000
    # Running it again adds nothing, even asked for more: the citizens stay one block (the
    # dossiers pick theirs by offset), whatever accounts were made in between.
    from accounts.models import User
    from tests.factories import CitizenFactory

    CitizenFactory()
    out = io.StringIO()
    call_command("generate_province", dossiers=4000, citizens=900, procedures=360, agencies=64, stdout=out, verbosity=0)
    assert Dossier.objects.filter(pk__gt=ID_BASE).count() == 3000
    assert User.objects.filter(username__startswith="dan.").count() == 800
    assert "citizens: already generated (800 citizens)" in out.getvalue()
    assert "dossiers: already generated" in out.getvalue()


def test_it_refuses_sqlite_and_bad_sizes(settings):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="số dương"):
        call_command("generate_province", dossiers=0, verbosity=0)
