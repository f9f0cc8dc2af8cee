"""The signed string is built byte for byte as VNPay's reference code builds it (issue 19,
item 5): vectors made by PHP's own ``urlencode`` and ``hash_hmac``, as VNPay's PHP demo
(vnpay_ipn.php) does, over every printable ASCII character, Vietnamese letters, spaces and
emoji. Made with: ``php tests/payments/vectors/vnpay_php.php > tests/payments/vectors/vnpay_php.json``
(PHP 8.2, Debian's php-cli)."""

import json
from pathlib import Path

import pytest

from payments import vnpay

VECTORS = json.loads((Path(__file__).parent / "vectors" / "vnpay_php.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VECTORS["encoding"], ids=lambda c: c["name"])
def test_form_encoding_is_phps(case):
    assert vnpay.form_encode(case["value"]) == case["encoded"]


@pytest.mark.parametrize("case", VECTORS["signatures"], ids=lambda c: c["name"])
def test_signing_data_and_signature_are_phps(case):
    assert vnpay.signing_data(case["params"]) == case["data"]
    assert vnpay.sign(case["params"], VECTORS["secret"]) == case["hash"]
    signed = {**case["params"], "vnp_SecureHash": case["hash"]}
    assert vnpay.verify(signed, VECTORS["secret"])  # a genuine notification is accepted


def test_the_vectors_cover_what_the_issue_names():
    printable = next(c for c in VECTORS["encoding"] if c["name"] == "printable")["value"]
    assert printable == "".join(chr(c) for c in range(32, 127))
    names = {c["name"] for c in VECTORS["signatures"]}
    assert {"printable", "tilde", "vietnamese", "emoji", "spaces"} <= names
