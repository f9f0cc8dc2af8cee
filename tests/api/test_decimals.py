"""Every decimal the API serves (a procedure's time limit, the 766 rates, points and
totals) is a JSON number, as docs/openapi.yaml declares it, and amounts in đồng are
integers: a procedure record (first answer and the cached one), a dossier with a fee
before and after it is paid, the payment started, the officer's view and the indices are
each checked against the committed schema, value by value."""

import decimal
import pathlib
import re

import pytest
import yaml
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator

from payments import vnpay
from payments.models import PaymentAttempt
from procedures.constants import FeeKind
from reports.services import refresh
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for

from .helpers import key_client

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())


def _json_schema(node, seen=()):
    """An OpenAPI 3.0 schema as JSON Schema (draft 4): references inlined, ``nullable`` as null."""
    if isinstance(node, list):
        return [_json_schema(item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        assert name not in seen, f"recursive schema {name}"
        return _json_schema(SCHEMA["components"]["schemas"][name], (*seen, name))
    out = {key: _json_schema(value, seen) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _numbers(schema, value, where="$"):
    """(where, value) for every value the schema declares a number (a decimal)."""
    if value is None:
        return
    for part in schema.get("allOf", []) + schema.get("anyOf", []):
        yield from _numbers(part, value, where)
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if "number" in kinds:
        yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            if key in schema.get("properties", {}):
                yield from _numbers(schema["properties"][key], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            yield from _numbers(schema["items"], item, f"{where}[{i}]")


def conforms(response, path: str, method: str = "get") -> list[tuple[str, object]]:
    """Check ``response`` against the committed schema of ``method path`` at its status;
    the decimals it served (where, value)."""
    operation = SCHEMA["paths"][path][method]
    answer = operation["responses"][str(response.status_code)]
    schema = _json_schema(answer["content"]["application/json"]["schema"])
    body = response.json()
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, f"{method.upper()} {path}: {errors}"
    served = list(_numbers(schema, body))
    for where, value in served:
        assert isinstance(value, int | float) and not isinstance(value, bool), f"{where} = {value!r}"
    return served


def test_the_schema_declares_every_decimal_a_number():
    """drf-spectacular writes a decimal served as a string as ``type: string, format:
    decimal``: none may appear (REST_FRAMEWORK COERCE_DECIMAL_TO_STRING is off)."""
    text = yaml.safe_dump(SCHEMA)
    assert "format: decimal" not in text
    assert SCHEMA["components"]["schemas"]["Procedure"]["properties"]["time_limit"]["type"] == "number"


def test_a_procedure_record_serves_its_time_limit_as_a_number():
    from rest_framework.test import APIClient

    staff = agency_staff()
    version = version_for(staff.agency, level=4, time_limit=decimal.Decimal("2.5"))
    api = APIClient()
    url = f"/api/v1/procedures/{version.procedure.national_code}/"
    for turn in ("computed", "cached"):
        served = conforms(api.get(url), "/api/v1/procedures/{code}/")
        assert dict(served) == {"$.time_limit": 2.5}, turn
        assert api.get(url).content.count(b'"time_limit":2.5') == 1, turn


def test_a_dossier_with_a_fee_and_its_payment_serve_numbers():
    staff = agency_staff()
    fees = [(FeeKind.LEVY, "LP1", "Lệ phí cấp phiếu", 200_000, 150_000), (FeeKind.CHARGE, "P1", "Phí", 30_000, None)]
    version = version_for(staff.agency, level=4, fees=fees, time_limit=decimal.Decimal("0.5"))
    dossier = submitted_dossier(staff.agency, version=version)
    api, _ = key_client(dossier.owner, ["dossiers:read", "payments:write", "catalog:read"])
    url = f"/api/v1/dossiers/{dossier.public_id}/"
    before = api.get(url)
    conforms(before, "/api/v1/dossiers/{public_id}/")
    due = before.json()["payment_due"]
    assert (due["amount"], due["paid"]) == (180_000, 0)
    assert [type(line[k]) for line in due["lines"] for k in ("amount", "discount", "due")] == [int] * 6
    started = api.post(f"{url}payments/", HTTP_IDEMPOTENCY_KEY="tra-phi-so")
    conforms(started, "/api/v1/dossiers/{public_id}/payments/", "post")
    assert started.json()["amount"] == 180_000
    attempt = PaymentAttempt.objects.get(txn_ref=started.json()["txn_ref"])
    result = {
        "vnp_Amount": str(attempt.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Nop le phi",
        "vnp_PayDate": "20261201093500",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": attempt.txn_ref,
    }
    result["vnp_SecureHash"] = vnpay.sign(result, settings.VNPAY_HASH_SECRET)
    assert api.get(reverse("payments:vnpay_ipn"), result).json()["RspCode"] == "00"
    after = api.get(url)
    conforms(after, "/api/v1/dossiers/{public_id}/")
    assert after.json()["payment_due"] is None or after.json()["payment_due"]["paid"] == 180_000
    record = api.get(f"/api/v1/procedures/{version.procedure.national_code}/")
    assert dict(conforms(record, "/api/v1/procedures/{code}/")) == {"$.time_limit": 0.5}
    officer, _ = key_client(staff.desk, ["desk:read"])
    conforms(officer.get(f"/api/v1/desk/dossiers/{dossier.code}/"), "/api/v1/desk/dossiers/{code}/")


def test_the_indices_serve_rates_points_and_totals_as_numbers():
    staff = agency_staff()
    dossier_at(staff, "returned")
    refresh()
    leader, _ = key_client(staff.leader, ["reports:read"])
    answer = leader.get("/api/v1/reports/kpi/", {"period": timezone.localdate().strftime("%Y-%m")})
    served = conforms(answer, "/api/v1/reports/kpi/")
    names = {re.sub(r"\[\d+\]", "[]", where) for where, _ in served}
    assert {"$.evaluation.total", "$.evaluation.groups[].points", "$.agencies[].total"} <= names, names
    assert "$.evaluation.groups[].indicators[].rate" in names, names
