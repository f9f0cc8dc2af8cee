"""Every operation of the schema names the scope an API key needs for it (``REQUIRED``);
a key without that scope is refused with 403, one with it is not refused for its scope.
A new operation without an entry here fails the test."""

import pathlib
import uuid

import pytest
import yaml

from accounts.constants import StaffRole
from api.constants import SCOPES
from tests.dossiers.staff import agency_staff
from tests.factories import StaffAssignmentFactory

from .helpers import key_client

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())

REQUIRED = {
    "procedures_search": "catalog:read",
    "procedures_read": "catalog:read",
    "fields_list": "catalog:read",
    "agencies_list": "catalog:read",
    "tracking_read": "catalog:read",
    "dossiers_list": "dossiers:read",
    "dossiers_create": "dossiers:write",
    "dossiers_read": "dossiers:read",
    "dossiers_update": "dossiers:write",
    "dossiers_documents_upload": "dossiers:write",
    "dossiers_submit": "dossiers:write",
    "dossiers_supplement": "dossiers:write",
    "dossiers_withdraw": "dossiers:write",
    "dossiers_pay": "payments:write",
    "desk_queues": "desk:read",
    "desk_queue_read": "desk:read",
    "desk_dossier_read": "desk:read",
    "desk_dossier_act": "desk:act",
    "reports_kpi": "reports:read",
}
PATH_VALUES = {
    "public_id": str(uuid.uuid4()),
    "code": "1.000001",
    "document_id": "1",
    "key": "tat-ca",
    "action": "receive",
}


def operations():
    for path, ops in SCHEMA["paths"].items():
        for method, op in ops.items():
            yield path, method, op["operationId"]


def test_every_operation_has_a_declared_scope():
    ids = {op_id for _, _, op_id in operations()}
    assert ids == set(REQUIRED), f"not declared: {ids - set(REQUIRED)}; gone: {set(REQUIRED) - ids}"
    assert set(REQUIRED.values()) <= set(SCOPES)


@pytest.mark.parametrize(("path", "method", "operation"), list(operations()))
def test_a_key_needs_the_operations_scope(path, method, operation):
    staff = agency_staff()
    StaffAssignmentFactory(user=staff.leader, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    url = path.format(**PATH_VALUES)
    scope = REQUIRED[operation]
    without, _ = key_client(staff.leader, [s for s in SCOPES if s != scope])
    refused = getattr(without, method)(url, {}, format="json")
    assert refused.status_code == 403 and f"“{scope}”" in refused.json()["detail"], refused.content
    only, _ = key_client(staff.leader, [scope])
    answer = getattr(only, method)(url, {}, format="json")
    assert "phạm vi quyền" not in answer.content.decode()
