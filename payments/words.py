"""Amounts in Vietnamese words, as receipts write them ("Một trăm nghìn đồng").

Groups of three digits read with the usual rules: "mười" for 10–19, "mốt" for a final 1
after twenty, "lăm" for a final 5 after ten, "linh" for a zero tens digit before a
units digit, "không trăm" for a zero hundreds digit inside a larger number.
"""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _three(n: int, full: bool) -> str:
    """Read 0–999; ``full``: inside a larger number, so a zero hundreds digit is said."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def number_words(n: int) -> str:
    """``n`` (0 ≤ n < 10^18) in words, lower case."""
    if n < 0 or n >= 10**18:
        raise ValueError("out of range")
    if n == 0:
        return "không"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    parts = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        full = index < len(groups) - 1
        parts.append((_three(group, full) + " " + SCALES[index]).strip())
    return " ".join(parts)


def amount_words(amount: int) -> str:
    """ "Một trăm nghìn đồng" for 100000."""
    text = number_words(amount) + " đồng"
    return text[0].upper() + text[1:]
