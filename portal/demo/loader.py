"""Load the demo province into the database (``manage.py seed_demo``).

Everything goes through the ORM and ``procedures.services``: a draft is created
with all its parts, then published with ``services.version_publish`` and an
effective date in the past. The load is idempotent: reference data is matched by
code (``update_or_create``), users by username, and procedures that already exist
are skipped.

Steps: ``_load_reference`` (agencies, fields) → ``_load_users`` → ``_load_catalog``.
A later ``_load_dossiers`` step (dossiers in every state) belongs after
``_load_catalog`` in :func:`load_demo`.
"""

import dataclasses
import datetime
from importlib import import_module

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.constants import AccountKind
from accounts.models import StaffAssignment, User
from portal.text import slugify_vi
from procedures import services
from procedures.constants import AgencyRole, ApprovalChain, Tier
from procedures.models import (
    Agency,
    Case,
    Fee,
    Field,
    FormField,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
)

from . import DEMO_PASSWORD, agencies, fields, laws, users
from .catalog_base import (
    AUDIENCE,
    COMMUNE_ADDRESS,
    FIELD_LAWS,
    PROVINCE_ADDRESS,
    Row,
    default_steps,
    form_questions,
    parse_doc,
    parse_time,
)

# Procedures whose results the agency's director signs after the head of division.
SIGNED_TWICE = {"2.000488"}  # Cấp Phiếu lý lịch tư pháp

CATALOG_MODULES = [
    "catalog_tuphap",
    "catalog_xaydung",
    "catalog_kinhte",
    "catalog_noivu_yte",
    "catalog_nongnghiep",
    "catalog_vanhoa_giaoduc",
    "catalog_chung",
]

# The catalog in force was announced for the two-tier local government.
CURRENT_EFFECTIVE = datetime.date(2025, 7, 1)
DECISION_DATE = datetime.date(2025, 6, 27)
OLDER_DECISION_DATE = datetime.date(2020, 12, 15)
FEE_KINDS = {"P": "phi", "L": "le_phi"}


def catalog_rows() -> list[Row]:
    """Every demo procedure row, in catalog order; codes are unique."""
    rows: list[Row] = []
    for name in CATALOG_MODULES:
        try:
            module = import_module(f"{__package__}.{name}")
        except ModuleNotFoundError:
            continue
        rows.extend(module.PROCEDURES)
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise ValueError(f"Mã thủ tục bị trùng trong dữ liệu mẫu: {row.code}")
        seen.add(row.code)
    return rows


def load_demo(*, stdout=None) -> dict:
    """Load (or complete) the demo province; returns how many rows of each kind were created."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    with transaction.atomic():
        counts = _load_reference()
        say(f"Cơ quan: {counts['agencies']} mới; lĩnh vực: {counts['fields']} mới.")
        counts["users"] = _load_users()
        say(f"Tài khoản mẫu: {counts['users']} mới.")
        publisher = User.objects.get(username=users.OFFICERS[0][0])
        created, versions = _load_catalog(publisher=publisher)
        counts["procedures"], counts["versions"] = created, versions
        say(f"Thủ tục hành chính: {created} mới ({versions} phiên bản).")
        from django.utils import timezone

        from dossiers.deadlines import calendar_seed

        year = timezone.localdate().year
        counts["calendar_days"] = calendar_seed(years=list(range(year - 3, year + 2)))
        say(f"Lịch nghỉ lễ, làm bù: {counts['calendar_days']} ngày mới.")
        counts["dossiers"], counts["feedback"] = _load_dossiers()
        say(f"Hồ sơ mẫu: {counts['dossiers']} mới (mỗi trạng thái một hồ sơ).")
        say(f"Phản ánh, kiến nghị mẫu: {counts['feedback']} mới (mỗi trạng thái một phản ánh).")
    from reports.services import refresh

    counts["report_facts"] = refresh()
    say(f"Số liệu báo cáo: {counts['report_facts']} hồ sơ được tính.")
    return counts


def _load_dossiers() -> tuple[int, int]:
    """Dossiers in every status for the first demo citizen, moved by the one-stop officers,
    and feedback in every state; returns how many of each were made."""
    from accounts.constants import StaffRole
    from accounts.models import StaffAssignment

    from .dossiers import load_demo_dossiers
    from .feedback import load_demo_feedback

    citizen = User.objects.get(username=users.CITIZENS[0]["username"])
    officers = {}
    for a in StaffAssignment.objects.filter(active=True).select_related("user").order_by("pk"):
        officers.setdefault(a.agency_id, {}).setdefault(a.role, a.user)
    officers = {k: v for k, v in officers.items() if StaffRole.ONE_STOP_OFFICER in v and StaffRole.SPECIALIST in v}
    made = load_demo_dossiers(citizen=citizen, officers_by_agency=officers)
    return made, load_demo_feedback(citizen=citizen, officers_by_agency=officers)


# Reference data ---------------------------------------------------------------------------------


def agency_map() -> dict[str, Agency]:
    """Agency by demo key (``STP``, ``HACTHANH``…) for what exists in the database."""
    by_code = {a.code: a for a in Agency.objects.all()}
    keys = {key: code for key, code, *_ in agencies.PROVINCIAL_AGENCIES}
    keys.update({key: agencies.commune_code(i) for i, (key, *_) in enumerate(agencies.COMMUNES, start=1)})
    keys.update({key: code for key, code, *_ in agencies.FORMER_AGENCIES})
    return {key: by_code[code] for key, code in keys.items() if code in by_code}


def _upsert_agency(code: str, **values) -> bool:
    values["slug"] = slugify_vi(values.get("short_name") or values["name"])[:120]
    _, created = Agency.objects.update_or_create(code=code, defaults=values)
    return created


def _load_reference() -> dict:
    created = 0
    province_rows = {row[0]: row for row in agencies.PROVINCIAL_AGENCIES}
    ubnd_key = agencies.PROVINCIAL_AGENCIES[0][0]
    for key, code, name, short, address, phone, email in agencies.PROVINCIAL_AGENCIES:
        parent = None
        if key != ubnd_key:
            parent = Agency.objects.get(code=province_rows[agencies.PARENTS.get(key, ubnd_key)][1])
        created += _upsert_agency(
            code,
            name=name,
            short_name=short,
            tier=Tier.PROVINCE,
            parent=parent,
            address=f"{address}, tỉnh Thanh Hóa",
            phone=phone,
            email=email,
        )
    ubnd = Agency.objects.get(code=province_rows[ubnd_key][1])
    for index, (key, name, address, phone) in enumerate(agencies.COMMUNES, start=1):
        short = name.replace("Ủy ban nhân dân", "UBND")
        created += _upsert_agency(
            agencies.commune_code(index),
            name=name,
            short_name=short,
            tier=Tier.COMMUNE,
            parent=ubnd,
            address=f"{address}, tỉnh Thanh Hóa",
            phone=phone,
            email=f"ubnd.{key.lower()}@thanhhoa.gov.vn",
            effective_from=agencies.REFORM_DATE,
        )
    by_key = agency_map()
    for _key, code, name, tier, address, phone, effective_to, successor in agencies.FORMER_AGENCIES:
        created += _upsert_agency(
            code,
            name=name,
            short_name="",
            tier=tier,
            parent=ubnd,
            address=address,
            phone=phone,
            effective_to=effective_to,
            successor=by_key[successor],
        )
    field_created = 0
    for code, name in fields.FIELDS:
        _, new = Field.objects.update_or_create(code=code, defaults={"name": name, "slug": slugify_vi(name)[:120]})
        field_created += new
    return {"agencies": created, "fields": field_created}


# Users ------------------------------------------------------------------------------------------


def _load_users() -> int:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    by_key = agency_map()
    created = 0

    def ensure(username: str, **values) -> User:
        nonlocal created
        user, new = User.objects.get_or_create(username=username, defaults={**values, "password": password})
        created += new
        return user

    for username, full_name, _label, agency_key, role, department in users.OFFICERS:
        provincial = role == "provincial_admin"
        user = ensure(
            username,
            full_name=full_name,
            kind=AccountKind.OFFICER,
            email=f"{username}@thanhhoa.gov.vn",
            is_staff=True,
            is_superuser=provincial,
        )
        StaffAssignment.objects.get_or_create(
            user=user, agency=by_key[agency_key], role=role, defaults={"department": department}
        )
    for citizen in users.CITIZENS:
        values = {k: v for k, v in citizen.items() if k not in ("username", "label")}
        ensure(citizen["username"], kind=AccountKind.CITIZEN, national_id=citizen["username"], **values)
    for business in users.BUSINESSES:
        values = {k: v for k, v in business.items() if k not in ("username", "label")}
        ensure(business["username"], kind=AccountKind.BUSINESS, tax_code=business["username"], **values)
    return created


# Catalog ----------------------------------------------------------------------------------------


def _load_catalog(*, publisher: User | None = None) -> tuple[int, int]:
    existing = set(Procedure.objects.values_list("national_code", flat=True))
    by_key = agency_map()
    field_by_code = {f.code: f for f in Field.objects.all()}
    communes = [by_key[key] for key, *_ in agencies.COMMUNES]
    created = versions = 0
    for index, row in enumerate(catalog_rows()):
        if row.code in existing:
            continue
        procedure = Procedure.objects.create(national_code=row.code)
        previous = None
        if row.history:
            older, implementing, district = _history_row(row, by_key, communes)
            draft = _create_draft(
                procedure, older, 1, implementing, field_by_code, district=district, older=True, index=index
            )
            previous = services.version_publish(version=draft, effective_from=row.history["effective"], user=publisher)
            versions += 1
        implementing = communes if row.at_commune else [by_key[row.agency]]
        draft = _create_draft(
            procedure, row, 2 if previous else 1, implementing, field_by_code, based_on=previous, index=index
        )
        services.version_publish(version=draft, effective_from=CURRENT_EFFECTIVE, user=publisher)
        created += 1
        versions += 1
    return created, versions


def _history_row(row: Row, by_key: dict, communes: list) -> tuple[Row, list, bool]:
    history = row.history
    older = dataclasses.replace(
        row,
        level=history.get("level", row.level),
        fees=history.get("fees", row.fees),
        laws=history.get("laws", row.laws),
        name=history.get("name", row.name),
        field=history.get("field", row.field),
        history=None,
    )
    if "district" in history:
        return older, [by_key[key] for key in history["district"]], True
    if "agencies" in history:
        return older, [by_key[key] for key in history["agencies"]], False
    return older, (communes if row.at_commune else [by_key[row.agency]]), False


def _create_draft(
    procedure: Procedure,
    row: Row,
    number: int,
    implementing: list[Agency],
    field_by_code: dict,
    *,
    based_on: ProcedureVersion | None = None,
    district: bool = False,
    older: bool = False,
    index: int = 0,
) -> ProcedureVersion:
    time_limit, unit, note = parse_time(row.time)
    applicants, for_individuals, for_organisations = AUDIENCE[row.who]
    commune = row.at_commune and not district
    if district:
        agency_name = "Ủy ban nhân dân cấp huyện"
    elif commune:
        agency_name = "Ủy ban nhân dân cấp xã"
    else:
        agency_name = implementing[0].name
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        based_on=based_on,
        name=row.name,
        description=row.description,
        keywords=row.keywords,
        service_level=row.level,
        at_province=not (commune or district),
        at_district=district,
        at_commune=commune,
        steps="\n".join(default_steps(row, agency_name)),
        channel_counter=True,
        channel_post=row.level >= 2,
        channel_online=row.level >= 3,
        time_limit=time_limit,
        time_limit_unit=unit,
        time_limit_note=note,
        applicants=row.applicants or applicants,
        for_individuals=for_individuals,
        for_organisations=for_organisations,
        results=row.result,
        conditions=row.conditions or "Không",
        receiving_address=COMMUNE_ADDRESS if (commune or district) else PROVINCE_ADDRESS,
        fee_note="" if row.fees else "Không thu phí, lệ phí.",
        # A licence, or the criminal-record certificate, issued by a provincial department is
        # signed twice: the head of division approves, the director signs (trình ký hai cấp).
        approval_chain=ApprovalChain.BOTH
        if (row.code in SIGNED_TWICE or "giấy phép" in row.name.lower()) and not (commune or district)
        else ApprovalChain.DEPARTMENT,
        decision_number=f"{1950 + index % 400}/QĐ-UBND" if not older else f"{3120 + index % 400}/QĐ-UBND",
        decision_date=OLDER_DECISION_DATE if older else DECISION_DATE,
    )
    version.save()
    version.fields.add(field_by_code[row.field])

    documents = []
    order = 0
    for case_order, (case_name, case_docs) in enumerate(row.cases or []):
        case = Case.objects.create(version=version, name=case_name, order=case_order, code=f"TH{case_order + 1}")
        for spec in case_docs:
            order += 1
            documents.append(_document(version, spec, order, case))
    for spec in row.docs:
        order += 1
        documents.append(_document(version, spec, order, None))
    RequiredDocument.objects.bulk_create(documents)

    Fee.objects.bulk_create(
        Fee(version=version, kind=FEE_KINDS[kind], name=name, amount=amount, exemptions=rest[0] if rest else "")
        for kind, name, amount, *rest in row.fees
    )
    ProcedureAgency.objects.bulk_create(
        ProcedureAgency(version=version, agency=agency, role=AgencyRole.IMPLEMENTING) for agency in implementing
    )
    LegalBasis.objects.bulk_create(_legal_bases(version, row, "ND61" if older else "ND118"))
    if row.level >= 3:
        FormField.objects.bulk_create(
            FormField(version=version, key=key, label=label, kind=kind, choices=choices, order=n)
            for n, (key, label, kind, choices) in enumerate(form_questions(row))
        )
    return version


def _document(version: ProcedureVersion, spec: str, order: int, case: Case | None) -> RequiredDocument:
    doc = parse_doc(spec)
    return RequiredDocument(version=version, case=case, order=order, **dataclasses.asdict(doc))


def _legal_bases(version: ProcedureVersion, row: Row, one_stop_law: str) -> list[LegalBasis]:
    keys = list(dict.fromkeys((row.laws or FIELD_LAWS.get(row.field, [])) + [one_stop_law]))
    bases = []
    for key in keys:
        number, title, issuer, issued_on, effective_on = laws.LAWS[key]
        bases.append(
            LegalBasis(
                version=version,
                number=number,
                title=title,
                issuer=issuer,
                issued_on=issued_on,
                effective_on=effective_on,
            )
        )
    return bases
