import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.words import amount_words, number_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_005, "một nghìn không trăm linh năm"),
        (8_000, "tám nghìn"),
        (50_000, "năm mươi nghìn"),
        (100_000, "một trăm nghìn"),
        (108_000, "một trăm linh tám nghìn"),
        (1_000_000, "một triệu"),
        (1_250_500, "một triệu hai trăm năm mươi nghìn năm trăm"),
        (2_000_015, "hai triệu không trăm mười lăm"),
        (1_000_000_001, "một tỷ không trăm linh một"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_amount_words():
    assert amount_words(100_000) == "Một trăm nghìn đồng"
    assert amount_words(108_000) == "Một trăm linh tám nghìn đồng"
    with pytest.raises(ValueError):
        amount_words(-1)


@given(st.integers(min_value=1, max_value=10**15))
def test_every_amount_reads_without_gaps(n):
    words = number_words(n)
    assert "  " not in words and words == words.strip() and not words.startswith("không")
