import pytest

from tests.dossiers.staff import agency_staff


@pytest.fixture
def staff(db):
    """The officers of one agency (desk, specialist, leaders), with a parent agency."""
    from tests.factories import AgencyFactory

    parent = AgencyFactory(name="Ủy ban nhân dân tỉnh Thanh Hóa")
    return agency_staff(AgencyFactory(name="Sở Tư pháp", parent=parent, phone="0237 3852 123"))
