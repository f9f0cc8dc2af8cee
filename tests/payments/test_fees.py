"""The fee calculator: lines, online amounts, exemptions, collection timing, whole VND."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossiers.constants import Channel
from payments import fees
from procedures.constants import FeeCollection, FeeKind
from procedures.models import Fee
from tests.factories import online_version

pytestmark = pytest.mark.django_db

LEVY = (FeeKind.LEVY, "LP1", "Lệ phí cấp phiếu", 200_000, 100_000)
CHARGE = (FeeKind.CHARGE, "P1", "Phí cung cấp thông tin", 8_000, None)


def fee_version(*lines):
    """A published level-4 procedure with exactly these fee lines."""
    return online_version(level=4, fees=list(lines))


@pytest.fixture
def version():
    return fee_version(LEVY, CHARGE)


def test_counter_and_online_amounts(version):
    counter = fees.fees_due(version, channel=Channel.COUNTER)
    assert [(line.code, line.due) for line in counter.lines] == [("LP1", 200_000), ("P1", 8_000)]
    assert counter.total == 208_000 and counter.collection == FeeCollection.BEFORE

    online = fees.fees_due(version, channel=Channel.ONLINE)
    levy = next(line for line in online.lines if line.code == "LP1")
    assert (levy.amount, levy.discount, levy.due, levy.kind_label) == (200_000, 100_000, 100_000, "Lệ phí")
    assert online.total == 108_000 and online.payable
    assert all(isinstance(line.due, int) for line in online.lines)


def test_exemptions_and_no_fee(version):
    levy = Fee.objects.get(version=version, code="LP1")
    exempt = fees.fees_due(version, channel=Channel.ONLINE, exempt_fee_ids=frozenset({levy.pk}))
    assert exempt.total == 8_000
    assert next(line for line in exempt.lines if line.code == "LP1").as_dict()["exempt"] is True
    nothing = fees.fees_due(fee_version(), channel=Channel.ONLINE)
    assert nothing.total == 0 and not nothing.payable and nothing.lines == ()


def test_an_online_amount_above_the_counter_amount_is_not_charged():
    version = fee_version((FeeKind.CHARGE, "P1", "Phí", 8_000, 9_000))
    (line,) = fees.fees_due(version, channel=Channel.ONLINE).lines
    assert (line.due, line.discount) == (8_000, 0)


def test_a_dossiers_fees_follow_its_version_and_channel(version):
    from tests.dossiers.staff import submitted_dossier, version_for
    from tests.factories import AgencyFactory

    agency = AgencyFactory()
    dossier = submitted_dossier(agency, version=version_for(agency, level=4, fees=[LEVY, CHARGE]))
    assert fees.dossier_fees(dossier).total == 108_000  # filed online


@given(amount=st.integers(min_value=0, max_value=10_000_000_000), online=st.none() | st.integers(0, 10_000_000_000))
def test_a_line_never_owes_more_than_its_counter_amount_nor_less_than_nothing(amount, online):
    fee = Fee(pk=1, kind=FeeKind.LEVY, name="x", amount=amount, online_amount=online)
    for is_online in (True, False):
        line = fees.fee_line(fee, online=is_online)
        assert 0 <= line.due <= amount and line.discount == amount - line.due
        assert fees.fee_line(fee, online=is_online, exempt=True).due == 0
