import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.identity import PROVINCE_CODES, validate_personal_id


def test_valid_number_for_a_man_born_1987_in_thanh_hoa():
    assert validate_personal_id("038087012345", date_of_birth=datetime.date(1987, 5, 2)) == "038087012345"


def test_valid_number_for_a_woman_born_2003():
    assert validate_personal_id("001303999999", date_of_birth=datetime.date(2003, 1, 1)) == "001303999999"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("03808701234", "length"),
        ("0380870123456", "length"),
        ("03808701234a", "length"),
        ("", "length"),
        ("003087012345", "province"),
        ("099087012345", "province"),
    ],
)
def test_invalid_numbers(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(number, date_of_birth=datetime.date(1987, 5, 2))
    assert exc.value.code == code


def test_century_digit_must_match_birth_year():
    with pytest.raises(ValidationError, match="thứ 4"):
        validate_personal_id("038287012345", date_of_birth=datetime.date(1987, 5, 2))


def test_birth_year_digits_must_match():
    with pytest.raises(ValidationError, match="5 và 6"):
        validate_personal_id("038088012345", date_of_birth=datetime.date(1987, 5, 2))


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    dob=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    female=st.booleans(),
    tail=st.integers(min_value=0, max_value=999_999),
)
def test_every_well_formed_number_is_accepted(province, dob, female, tail):
    century = 2 * ((dob.year // 100) - 19) + int(female)
    number = f"{province}{century}{dob.year % 100:02d}{tail:06d}"
    assert validate_personal_id(number, date_of_birth=dob) == number
