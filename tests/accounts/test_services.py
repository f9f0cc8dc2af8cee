import datetime

import pytest

from accounts import services
from accounts.constants import AccountKind

pytestmark = pytest.mark.django_db


def test_citizen_register_and_taken_number():
    user = services.citizen_register(
        national_id="038087012345",
        full_name="Lê Văn Bình",
        date_of_birth=datetime.date(1987, 5, 2),
        phone="0912345678",
        email="",
        password="Thanhhoa@2026",
    )
    assert user.username == user.national_id == "038087012345"
    assert user.kind == AccountKind.CITIZEN and user.check_password("Thanhhoa@2026")
    with pytest.raises(services.AccountTaken):
        services.citizen_register(
            national_id="038087012345",
            full_name="Người khác",
            date_of_birth=datetime.date(1987, 5, 2),
            phone="",
            email="khac@example.vn",
            password="Thanhhoa@2026",
        )


def test_business_register():
    user = services.business_register(
        tax_code="0100109106",
        organisation_name="Công ty TNHH Hàm Rồng",
        representative_name="Trần Thị Lan",
        representative_id="038195207731",
        phone="0912000111",
        email="",
        password="Thanhhoa@2026",
    )
    assert user.username == user.tax_code == "0100109106"
    assert user.kind == AccountKind.BUSINESS and user.full_name == "Trần Thị Lan"
