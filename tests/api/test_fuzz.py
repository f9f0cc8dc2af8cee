"""schemathesis against the committed schema, in process (WSGI), with real PostgreSQL:
every operation gets valid and invalid generated requests, signed in with a key of every
scope for an account that has dossiers, desk work and reports to read. No answer may be a
server error, and every documented answer must match the schema (body and content type).

Half of the generated path identifiers are swapped for real ones, so the requests reach
the handlers and not only the 404 of an unknown dossier."""

import itertools
import pathlib

import pytest
import schemathesis
import yaml
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.constants import StaffRole
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory, StaffAssignmentFactory

from .helpers import key_client

pytestmark = pytest.mark.django_db

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES_PER_MODE = 30  # × 2 modes × every operation (≥ 18): over 1,000 requests
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def world(monkeypatch):
    """One agency's staff; the desk officer also reads the province's reports and owns
    dossiers of their own (a draft, one under a supplement request) to poke at."""
    # As Django's test client does: the request must not close the test's connection.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from api.throttling import CallerRateThrottle, TrackingRateThrottle

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield_back = [(signal, close_old_connections) for signal in (request_started, request_finished)]
    fast = {"anon": "100000/min", "user": "100000/min", "tracking": "100000/min"}
    monkeypatch.setattr(CallerRateThrottle, "THROTTLE_RATES", fast)
    monkeypatch.setattr(TrackingRateThrottle, "THROTTLE_RATES", fast)
    from dossiers import tracking

    # The generator asks the same few codes again and again: the per-code lock would answer
    # 429 before the handler's own checks; tests/dossiers/test_tracking.py covers it.
    monkeypatch.setattr(tracking, "GUESSES_PER_CODE", 10**9)
    staff = agency_staff()
    StaffAssignmentFactory(user=staff.desk, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    staff.desk.national_id, staff.desk.phone = CitizenFactory.build().national_id, "0912345678"
    staff.desk.save()
    submitted = dossier_at(staff, "submitted", citizen=staff.desk)
    supplement = dossier_at(staff, "supplement", citizen=staff.desk)
    api, _ = key_client(staff.desk, rate="100000/min")  # the key's own rate, not only the defaults
    yield {
        "auth": api._credentials["HTTP_AUTHORIZATION"],
        "public_id": [str(submitted.public_id), str(supplement.public_id)],
        "code": [submitted.code, supplement.procedure_version.procedure.national_code],
        "document_id": [supplement.documents.first().required_document_id],
        "key": ["cho-tiep-nhan", "tat-ca"],
        "action": ["receive", "request_supplement", "assign"],
    }
    for signal, receiver in yield_back:
        signal.connect(receiver)


def test_generated_requests_get_no_server_error_and_match_the_schema(world):
    schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA.read_text()))
    app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    sent = {"n": 0}
    turn = itertools.count()

    def run(operation, mode):
        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            if next(turn) % 2 == 0:
                for name, values in world.items():
                    if name in case.path_parameters:
                        case.path_parameters[name] = values[next(turn) % len(values)]
            response = case.call_and_validate(app=app, headers={"Authorization": world["auth"]}, checks=CHECKS)
            assert response.status_code != 429, f"{operation.label}: throttled, the handler was not reached"
            sent["n"] += 1

        try:
            check()
        except Unsatisfiable:
            # Nothing in a public operation without parameters or body can be made invalid
            # (its authentication is optional): no negative case exists, positive ones ran.
            if mode is not GenerationMode.NEGATIVE:
                raise

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode)
    print(f"schemathesis: {sent['n']} requests over {len(operations)} operations")
    # about 1,000: the public operations without parameters have no negative case since the
    # schema says truthfully that they need no authentication
    assert sent["n"] >= 900, sent
