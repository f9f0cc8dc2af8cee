"""Approval chains per procedure (trình ký): one or two signatures, each step with its own
deadline and its signer recorded; the result records who signed it."""

import pytest
from django.core.exceptions import PermissionDenied

from dossiers import processing, workflow
from dossiers.constants import Status, Step
from dossiers.models import StatusChange
from procedures.constants import ApprovalChain
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, version_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


def _at_approval(staff, chain: str):
    version = version_for(staff.agency)
    type(version).objects.filter(pk=version.pk).update(approval_chain=chain)
    return dossier_at(staff, "approval", version=version)


def _offered(dossier, user) -> set[str]:
    return {a.name for a in workflow.allowed_actions(dossier, user)}


def test_the_chain_table_reads_in_order():
    assert workflow.step_after_signature(ApprovalChain.DEPARTMENT, Step.APPROVAL) == Step.ISSUING
    assert workflow.step_after_signature(ApprovalChain.BOTH, Step.APPROVAL) == Step.SIGNING
    assert workflow.step_after_signature(ApprovalChain.BOTH, Step.SIGNING) == Step.ISSUING
    assert workflow.signers_at(ApprovalChain.AGENCY, Step.APPROVAL) == {workflow.LEADER}
    assert workflow.signers_at(ApprovalChain.BOTH, Step.SIGNING) == {workflow.LEADER}
    assert workflow.signers_at(ApprovalChain.DEPARTMENT, Step.SIGNING) == frozenset()


def test_one_signature_by_the_head_of_division(staff):
    dossier = _at_approval(staff, ApprovalChain.DEPARTMENT)
    assert "approve" in _offered(dossier, staff.department_leader)
    processing.dossier_act(dossier=dossier, action="approve", actor=staff.department_leader)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.step) == (Status.PROCESSING, Step.ISSUING)


def test_a_chain_signed_by_the_agency_leader_alone(staff):
    dossier = _at_approval(staff, ApprovalChain.AGENCY)
    assert "approve" not in _offered(dossier, staff.department_leader)
    with pytest.raises(PermissionDenied):
        processing.dossier_act(dossier=dossier, action="approve", actor=staff.department_leader)
    processing.dossier_act(dossier=dossier, action="approve", actor=staff.leader)
    dossier.refresh_from_db()
    assert dossier.step == Step.ISSUING


def test_two_signatures_each_with_its_deadline_and_signer(staff):
    dossier = _at_approval(staff, ApprovalChain.BOTH)
    # The agency leader does not take the head of division's signature.
    assert _offered(dossier, staff.leader) & {"approve", "sign"} == set()
    assert "approve" in _offered(dossier, staff.department_leader)
    processing.dossier_act(dossier=dossier, action="approve", actor=staff.department_leader)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.step) == (Status.PROCESSING, Step.SIGNING)
    first_due = dossier.step_due_at
    assert first_due is not None and first_due <= dossier.due_at
    assert "sign" not in _offered(dossier, staff.department_leader)
    with pytest.raises(PermissionDenied):
        processing.dossier_act(dossier=dossier, action="sign", actor=staff.department_leader)
    assert "sign" in _offered(dossier, staff.leader)
    processing.dossier_act(dossier=dossier, action="sign", actor=staff.leader)
    dossier.refresh_from_db()
    assert dossier.step == Step.ISSUING
    signatures = list(
        StatusChange.objects.filter(dossier=dossier, action__in=("approve", "sign"))
        .order_by("pk")
        .values_list("action", "actor", "to_step")
    )
    assert signatures == [
        ("approve", staff.department_leader.pk, Step.SIGNING),
        ("sign", staff.leader.pk, Step.ISSUING),
    ]
    assert StatusChange.objects.get(dossier=dossier, action="approve").step_deadline == first_due
    processing.dossier_act(
        dossier=dossier,
        action="record_result",
        actor=staff.desk,
        data={"number": "5/QĐ", "issued_on": dossier.received_at.date(), "summary": "Cấp phép"},
        upload=files.pdf(),
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    assert (dossier.result.signed_by, dossier.result.signed_at) == (
        staff.leader,
        StatusChange.objects.get(dossier=dossier, action="sign").at,
    )


def test_the_leader_sends_a_result_back_from_the_second_signature(staff):
    dossier = _at_approval(staff, ApprovalChain.BOTH)
    processing.dossier_act(dossier=dossier, action="approve", actor=staff.department_leader)
    processing.dossier_act(
        dossier=dossier, action="return_for_rework", actor=staff.leader, note="Bổ sung căn cứ pháp lý"
    )
    dossier.refresh_from_db()
    assert dossier.step == Step.SPECIALIST


def test_the_queue_awaiting_my_signature_follows_the_chain(staff):
    from django.utils import timezone

    from accounts.access import officer_scope
    from desk.selectors import queue_filter
    from dossiers.models import Dossier

    def waiting_for(user) -> set[int]:
        condition = queue_filter("cho-duyet", officer_scope(user), timezone.now())
        return set(Dossier.objects.filter(condition).values_list("pk", flat=True))

    two = _at_approval(staff, ApprovalChain.BOTH)
    by_leader = _at_approval(staff, ApprovalChain.AGENCY)
    by_head = _at_approval(staff, ApprovalChain.DEPARTMENT)
    assert waiting_for(staff.department_leader) == {two.pk, by_head.pk}
    assert waiting_for(staff.leader) == {by_leader.pk, by_head.pk}
    processing.dossier_act(dossier=two, action="approve", actor=staff.department_leader)
    assert waiting_for(staff.department_leader) == {by_head.pk}
    assert waiting_for(staff.leader) == {two.pk, by_leader.pk, by_head.pk}
