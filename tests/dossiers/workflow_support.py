"""Shared by the workflow tests: every kind of actor around one agency, dossiers at any
point of the workflow (including the ones ``staff.dossier_at`` does not reach), and a
short way to act on a dossier at a given moment.

Everything here uses the real services; nothing writes ``status`` directly.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.constants import StaffRole
from dossiers import processing, services, workflow
from dossiers.codes import dossier_code_issue
from dossiers.constants import Channel
from dossiers.models import Dossier, StoredFile
from procedures.constants import ApprovalChain
from tests.dossiers import staff as staff_helpers
from tests.dossiers.staff import DEPARTMENT, Staff, agency_staff, dossier_at, version_for
from tests.factories import AgencyFactory, CitizenFactory, StaffAssignmentFactory, UserFactory

OTHER_DEPARTMENT = "Phòng Khác"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime.datetime:
    """An aware moment in local time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


def local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


@dataclass
class Actors:
    """Everyone who might try to act on a dossier of ``staff.agency``."""

    staff: Staff
    other_department_leader: object  # leads "Phòng Khác" of the same agency
    foreign: object  # holds every role (same department names) in another agency
    foreign_agency: object
    partner: Staff  # the agency a dossier is transferred to (liên thông)
    owner: object
    other_citizen: object
    version: object

    def by_name(self) -> dict[str, object]:
        s = self.staff
        return {
            "desk": s.desk,
            "specialist": s.specialist,  # the handler once assigned
            "other_specialist": s.other_specialist,
            "department_leader": s.department_leader,
            "other_department_leader": self.other_department_leader,
            "leader": s.leader,
            "admin": s.admin,
            "foreign": self.foreign,
            "partner_desk": self.partner.desk,
            "partner_specialist": self.partner.specialist,
            "partner_department_leader": self.partner.department_leader,
            "partner_leader": self.partner.leader,
            "partner_admin": self.partner.admin,
            "owner": self.owner,
            "other_citizen": self.other_citizen,
            "anonymous": AnonymousUser(),
        }


def make_actors(**version_kwargs) -> Actors:
    staff = agency_staff()
    other_leader = UserFactory(kind="officer", full_name="Vũ Văn Trưởng")
    StaffAssignmentFactory(
        user=other_leader, agency=staff.agency, role=StaffRole.DEPARTMENT_LEADER, department=OTHER_DEPARTMENT
    )
    foreign_agency = AgencyFactory()
    foreign = UserFactory(kind="officer", full_name="Cán Bộ Ngoài")
    for role in StaffRole.values:
        if role == StaffRole.PROVINCIAL_ADMIN:
            continue
        StaffAssignmentFactory(user=foreign, agency=foreign_agency, role=role, department=DEPARTMENT)
    partner = agency_staff()
    return Actors(
        staff=staff,
        other_department_leader=other_leader,
        foreign=foreign,
        foreign_agency=foreign_agency,
        partner=partner,
        owner=CitizenFactory(full_name="Nguyễn Văn An"),
        other_citizen=CitizenFactory(full_name="Lê Thị Bình"),
        version=version_for(staff.agency, **version_kwargs),
    )


def move(dossier: Dossier, actor, action: str, note: str = "", *, now=None, **data):
    """One transition through the state machine; refreshes ``dossier`` from the database."""
    change = workflow.dossier_transition(dossier=dossier, action=action, actor=actor, note=note, data=data, now=now)
    dossier.refresh_from_db()
    return change


def result_file(owner) -> StoredFile:
    """A stored result document (what ``processing.dossier_act`` makes from the upload)."""
    item = StoredFile(
        owner=owner,
        kind=StoredFile.Kind.RESULT,
        title="Kết quả",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
    )
    item.file.save("ket-qua.pdf", ContentFile(b"%PDF-1.4"), save=False)
    item.save()
    return item


def respond_by(days: int = 7, now=None) -> datetime.date:
    return timezone.localdate(now) + datetime.timedelta(days=days)


def dossier_point(actors: Actors, point: str, *, now=None) -> Dossier:
    """A dossier of ``actors.staff.agency`` owned by ``actors.owner`` at ``point``.

    Beyond ``staff.POINTS``: draft (online), counter_draft (opened at the counter, with
    its code), department, supplement (asked by the specialist), supplement_at_desk
    (asked by the desk at status 2), awaiting_payment (unpaid), awaiting_payment_paid (paid
    before it was asked), signing (a two-signature version, approved by the head of
    division), transferred (to ``actors.partner``)."""
    s = actors.staff
    if point == "draft":
        dossier = services.dossier_start(user=actors.owner, version=actors.version, agency=s.agency)
        Dossier.objects.filter(pk=dossier.pk).update(code=dossier_code_issue(agency_code=s.agency.code))
        dossier.refresh_from_db()
        return dossier
    if point == "counter_draft":
        dossier, _ = processing.intake_start(
            officer=s.desk,
            agency=s.agency,
            version=actors.version,
            case=None,
            citizen={"national_id": actors.owner.national_id, "full_name": actors.owner.full_name},
            channel=Channel.COUNTER,
        )
        Dossier.objects.filter(pk=dossier.pk).update(code=dossier_code_issue(agency_code=s.agency.code))
        dossier.refresh_from_db()
        return dossier
    if point == "supplement":
        dossier = dossier_at(s, "specialist", now=now, citizen=actors.owner, version=actors.version)
        move(
            dossier,
            s.specialist,
            "request_supplement",
            "Bản chụp mờ",
            now=now,
            items="Bản sao",
            respond_by=respond_by(now=now),
        )
        return dossier
    if point == "supplement_at_desk":
        dossier = dossier_at(s, "received", now=now, citizen=actors.owner, version=actors.version)
        move(
            dossier,
            s.desk,
            "request_supplement",
            "Thiếu giấy tờ",
            now=now,
            items="Tờ khai",
            respond_by=respond_by(now=now),
        )
        return dossier
    if point in ("awaiting_payment", "awaiting_payment_paid"):
        dossier = dossier_at(s, "specialist", now=now, citizen=actors.owner, version=actors.version)
        if point == "awaiting_payment_paid":  # paid at the counter before the specialist asked
            staff_helpers.pay_before(s, dossier, "payment_confirmed")
        move(dossier, s.specialist, "request_payment", now=now)
        return dossier
    if point == "signing":  # the procedure asks for two signatures; the head of division signed
        type(actors.version).objects.filter(pk=actors.version.pk).update(approval_chain=ApprovalChain.BOTH)
        dossier = dossier_at(s, "approval", now=now, citizen=actors.owner, version=actors.version)
        move(dossier, s.department_leader, "approve", now=now)
        return dossier
    if point == "transferred":
        dossier = dossier_at(s, "specialist", now=now, citizen=actors.owner, version=actors.version)
        move(dossier, s.specialist, "transfer", "Đề nghị xác minh", now=now, to_agency=actors.partner.agency.pk)
        return dossier
    assert point in staff_helpers.POINTS or point == "department", point
    return dossier_at(s, point, now=now, citizen=actors.owner, version=actors.version)
