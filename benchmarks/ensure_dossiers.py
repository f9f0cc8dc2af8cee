"""Bring one agency of the benchmark database to 200,000 dossiers: the busiest ward.

    .venv/bin/python -m benchmarks.ensure_dossiers [--target 200000]

``make bench`` runs it on the generated province (``portal_province``, after
``generate_province``; the agencies keep their generated dossiers and get these on top), so
the officers' pages are measured in an agency far busier than any the generator makes.
On its own it uses the database ``portal_bench_desk`` (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/portal_bench_desk``): creates it if missing,
migrates, loads the demo province (``seed_demo``: agencies, 319 procedures, the
calendar) if it is not there, then adds what is missing of:

* officers of every role (``bench.<agency>.*``, no password: the benchmark logs in
  with ``force_login``) in the agencies below, two processing departments each;
* 100,000 citizens (accounts with an unusable password);
* dossiers of its own (filed by its citizens; others already there do not count):
  ``--target`` (200,000) in UBND phường Hạc Thành (000.01.40.H56), 5,000 in
  each of four other agencies, 300 in Sở Tư pháp (the "tiny" agency the query counts
  are compared with). Status mix: ~85 % finished (returned 10, refused 3, withdrawn 7,
  stopped 8), the rest open (1, 2, 4 in each step, 5, 6, 9); codes
  ``<agency>-YYMMDD-XXXX`` over two years with the daily counters brought up to date;
  due dates from the real calendar (working days, holidays), some open dossiers overdue;
* for each dossier what the real workflow leaves behind: its history (StatusChange,
  2–10 rows), its documents (a stored file per required document), the issued forms
  (Mẫu 01/02/03/05), the supplement requests, result and hand-over, postal intake and
  inter-agency transfers.

Rows are written with COPY (psycopg2 ``copy_expert``) in one transaction with explicit
ids, then the sequences are reset and the database is ANALYZEd. The services are not
used (the history rows carry their own past timestamps, which ``auto_now_add`` would
overwrite). Running it again adds nothing once the counts are there; ``--target``
larger than what exists tops the agencies up. About 3.7 million rows: 2.5–4.5 minutes here.
"""

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_desk"
SEED = 20261127
BIG_CODE = "000.01.40.H56"  # UBND phường Hạc Thành
SMALL_CODE = "000.00.03.H56"  # Sở Tư pháp
CITIZENS = 100_000
CITIZEN_EMAIL_DOMAIN = "dan.bench.invalid"
LOADED: tuple = ()  # the models written by COPY (set in load())


@dataclass(frozen=True)
class AgencyPlan:
    code: str
    key: str  # usernames bench.<key>.*
    dossiers: int  # None → --target
    departments: tuple[str, str]
    specialists_per_department: int = 5


WARD_DEPTS = ("Phòng Văn hóa – Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị")
PLANS = [
    AgencyPlan(BIG_CODE, "hacthanh", -1, WARD_DEPTS),
    AgencyPlan(SMALL_CODE, "stp", 300, ("Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp")),
    AgencyPlan("000.02.40.H56", "hamrong", 5_000, WARD_DEPTS, 2),
    AgencyPlan("000.03.40.H56", "dongquang", 5_000, WARD_DEPTS, 2),
    AgencyPlan("000.00.05.H56", "sxd", 5_000, ("Phòng Quản lý xây dựng", "Phòng Phát triển đô thị"), 2),
    AgencyPlan("000.00.02.H56", "snv", 5_000, ("Phòng Tổ chức, biên chế", "Phòng Công chức, viên chức"), 2),
]

# (status, step, share): ~85 % finished, the rest open in every status and step.
STATUS_MIX = [
    (10, "", 0.740),
    (3, "", 0.030),
    (7, "", 0.050),
    (8, "", 0.030),
    (1, "", 0.015),
    (2, "", 0.015),
    (4, "department", 0.010),
    (4, "specialist", 0.049),
    (4, "transferred", 0.001),
    (4, "approval", 0.010),
    (4, "issuing", 0.010),
    (5, "specialist", 0.020),
    (6, "specialist", 0.005),
    (9, "", 0.015),
]
FINISHED = {3, 7, 8, 10}
STEP_SHARES = {"department": 0.10, "specialist": 0.60, "approval": 0.15, "issuing": 0.15, "transferred": 0.30}

SURNAMES = [  # (family name, weight)
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4), ("Đỗ", 3), ("Bùi", 3),
    ("Đặng", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Mai", 2), ("Trịnh", 3), ("Lương", 1), ("Hà", 1),
    ("Đinh", 1), ("Cao", 1), ("Lưu", 1), ("Tạ", 1),
]  # fmt: skip
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đình", "Xuân", "Minh", "Quang", "Hữu", "Đức", "Thanh", "Công", "Ngọc", "Trọng"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Phương", "Minh", "Kim", "Diệu"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong",
    "Phúc", "Quân", "Sơn", "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Vinh", "Hoàng", "Hiếu", "Kiên",
    "Lâm", "Mạnh", "Nghĩa", "Quang", "Tâm", "Thịnh", "Toàn", "Tùng",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Linh", "Loan",
    "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thúy", "Trang", "Tuyết",
    "Uyên", "Vân", "Yến", "Hiền", "Liên", "Nhàn", "Thơm", "Xuân",
]  # fmt: skip
STREETS = ["Lê Lợi", "Trần Phú", "Phan Chu Trinh", "Bà Triệu", "Lê Hoàn", "Hàm Nghi", "Nguyễn Trãi", "Quang Trung"]
NOTES_REFUSE = [
    "Thủ tục không thuộc thẩm quyền của cơ quan; đề nghị nộp tại cơ quan có thẩm quyền.",
    "Hồ sơ không đúng đối tượng theo quy định.",
]
NOTES_STOP = ["Công dân đề nghị dừng giải quyết.", "Quá hạn bổ sung mà công dân không bổ sung hồ sơ."]
NOTES_WITHDRAW = ["Nộp nhầm thủ tục.", "Không còn nhu cầu giải quyết.", "Nộp lại hồ sơ khác đầy đủ hơn."]
MISSING = [
    "Bản sao Giấy khai sinh có chứng thực.",
    "Giấy xác nhận nơi cư trú còn hiệu lực.",
    "Ảnh chụp rõ nét hai mặt căn cước công dân.",
]
PROPOSALS = [
    "Đủ điều kiện, đề nghị giải quyết theo đề nghị của công dân.",
    "Hồ sơ hợp lệ; đã xác minh thông tin; đề nghị lãnh đạo duyệt.",
]


def weighted(rng: random.Random, items: list[tuple[object, float]]):
    return rng.choices([i for i, _ in items], weights=[w for _, w in items], k=1)[0]


# --- Database and Django ----------------------------------------------------------------------


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?", 1)[0]


def ensure_database(url: str) -> bool:
    """CREATE DATABASE if missing (connecting to the server's ``postgres`` database)."""
    import psycopg2
    from psycopg2 import sql

    name = database_name(url)
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        admin.close()


# --- COPY ---------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    else:
        value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class Copier:
    """Rows for one table (dicts keyed by attname), written with COPY in batches."""

    def __init__(self, model, now: datetime.datetime, *, explicit_pk: bool = False):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if explicit_pk or not f.primary_key]
        self.defaults = {}
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.get_default()
            elif f.has_default():
                self.defaults[f.attname] = f.default  # callable, called per row
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.null:
                self.defaults[f.attname] = None
            elif f.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField", "FileField"):
                self.defaults[f.attname] = ""
        self.buffer = io.StringIO()
        self.pending = 0
        self.total = 0

    def add(self, **row) -> None:
        values = []
        for f in self.fields:
            if f.attname in row:
                value = row[f.attname]
            else:
                try:
                    value = self.defaults[f.attname]
                except KeyError:
                    raise ValueError(f"{self.model.__name__}.{f.attname} has no value") from None
                if callable(value):
                    value = value()
            values.append(_text(value))
        self.buffer.write("\t".join(values))
        self.buffer.write("\n")
        self.pending += 1

    def flush(self, cursor) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        cursor.copy_expert(f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN', self.buffer)
        self.total += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


class Ids:
    """Explicit primary keys after the current maximum (sequences reset at the end)."""

    def __init__(self, cursor, model):
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # nosec B608 # the table name comes from the model
        self.last = cursor.fetchone()[0]

    def next(self) -> int:
        self.last += 1
        return self.last


# --- Staff and citizens --------------------------------------------------------------------------


@dataclass
class Staff:
    one_stop: list[int]
    leader: int
    departments: dict[str, dict]  # name → {"leader": id, "specialists": [ids]}


def ensure_staff(agency, plan: AgencyPlan) -> Staff:
    from accounts.constants import AccountKind, StaffRole
    from accounts.models import StaffAssignment, User

    rng = random.Random(f"staff-{plan.key}")

    def officer(username: str, role: str, department: str) -> int:
        gender = rng.random() < 0.5
        full = (
            f"{weighted(rng, SURNAMES)} {rng.choice(MALE_MIDDLE if gender else FEMALE_MIDDLE)} "
            f"{rng.choice(MALE_GIVEN if gender else FEMALE_GIVEN)}"
        )
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"kind": AccountKind.OFFICER, "full_name": full, "email": f"{username}@bench.invalid"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        StaffAssignment.objects.update_or_create(
            user=user, agency=agency, role=role, defaults={"department": department, "active": True}
        )
        return user.pk

    one_stop = [
        officer(f"bench.{plan.key}.motcua{n}", StaffRole.ONE_STOP_OFFICER, "Bộ phận Một cửa") for n in (1, 2, 3)
    ]
    leader = officer(f"bench.{plan.key}.lanhdao", StaffRole.AGENCY_LEADER, "Ban lãnh đạo")
    departments = {}
    for d, name in enumerate(plan.departments, start=1):
        departments[name] = {
            "leader": officer(f"bench.{plan.key}.truongphong{d}", StaffRole.DEPARTMENT_LEADER, name),
            "specialists": [
                officer(f"bench.{plan.key}.chuyenvien{d}{n}", StaffRole.SPECIALIST, name)
                for n in range(1, plan.specialists_per_department + 1)
            ],
        }
    return Staff(one_stop=one_stop, leader=leader, departments=departments)


def person(rng: random.Random) -> tuple[str, str, datetime.date, bool]:
    male = rng.random() < 0.49
    name = (
        f"{weighted(rng, SURNAMES)} {rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)} "
        f"{rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)}"
    )
    born = datetime.date(1945, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 62))
    century = 0 if born.year < 2000 else 2
    digit = century + (0 if male else 1)
    national_id = f"038{digit}{born.year % 100:02d}{rng.randrange(0, 1_000_000):06d}"
    return name, national_id, born, male


def ensure_citizens(cursor, now) -> list[tuple[int, str, str, str, str]]:
    """(id, national id, full name, phone, address) of the benchmark's citizens."""
    from accounts.constants import AccountKind
    from accounts.models import User

    mine = User.objects.filter(kind=AccountKind.CITIZEN, email__endswith="@" + CITIZEN_EMAIL_DOMAIN)
    existing = list(mine.order_by("pk").values_list("pk", "national_id", "full_name", "phone", "address"))
    missing = CITIZENS - len(existing)
    if missing <= 0:
        return existing
    taken = set(User.objects.exclude(national_id=None).values_list("national_id", flat=True))
    taken |= set(User.objects.values_list("username", flat=True))
    rng = random.Random(f"citizens-{len(existing)}")
    ids = Ids(cursor, User)
    copier = Copier(User, now, explicit_pk=True)
    added = []
    while len(added) < missing:
        name, national_id, born, _ = person(rng)
        if national_id in taken:
            continue
        taken.add(national_id)
        pk = ids.next()
        phone = f"09{rng.randrange(0, 100_000_000):08d}"
        address = f"Số {rng.randrange(1, 300)} {rng.choice(STREETS)}, phường Hạc Thành, tỉnh Thanh Hóa"
        joined = now - datetime.timedelta(days=rng.uniform(0, 900))
        copier.add(
            id=pk,
            password="!" + uuid.uuid4().hex,  # unusable, as set_unusable_password
            last_login=None,
            is_superuser=False,
            username=national_id,
            first_name="",
            last_name="",
            email=f"{national_id}@{CITIZEN_EMAIL_DOMAIN}",
            is_staff=False,
            is_active=True,
            date_joined=joined,
            kind=AccountKind.CITIZEN.value,
            full_name=name,
            national_id=national_id,
            date_of_birth=born,
            phone=phone,
            address=address,
            national_sso_id=None,
        )
        added.append((pk, national_id, name, phone, address))
        if copier.pending >= 20_000:
            copier.flush(cursor)
    copier.flush(cursor)
    return existing + added


# --- Dossiers ------------------------------------------------------------------------------------


@dataclass
class VersionInfo:
    pk: int
    name: str
    limit: float | None  # the time limit
    unit: str
    cases: list[int]
    documents: list[tuple[int, int | None, str]]  # (id, case id, name)
    fields: list[tuple[str, str, list[str]]]  # (key, kind, choices)
    weight: float = 1.0


def versions_of(agency) -> list[VersionInfo]:
    from procedures.models import ProcedureVersion

    qs = (
        ProcedureVersion.objects.filter(is_current=True, agency_roles__agency=agency)
        .distinct()
        .prefetch_related("cases", "documents", "form_fields")
        .order_by("procedure__national_code")
    )
    out = []
    for v in qs:
        out.append(
            VersionInfo(
                pk=v.pk,
                name=v.name,
                limit=float(v.time_limit) if v.time_limit is not None else None,
                unit=v.time_limit_unit,
                cases=[c.pk for c in v.cases.all()],
                documents=[(d.pk, d.case_id, d.name) for d in v.documents.all()],
                fields=[(f.key, f.kind, f.choice_list) for f in v.form_fields.all()],
            )
        )
    # A few procedures take most dossiers (civil status, certifications): Zipf-like weights.
    rng = random.Random(f"versions-{agency.code}")
    rng.shuffle(out)
    for rank, info in enumerate(out, start=1):
        info.weight = 1.0 / rank**1.1
    return out


@dataclass
class Event:
    action: str
    from_status: int | None
    to_status: int
    to_step: str
    actor: int | None
    at: datetime.datetime
    note: str = ""
    department: str = ""
    handler: int | None = None
    form: str = ""


@dataclass
class Plan:
    """One dossier being generated: its fields, its history and what hangs off it."""

    status: int
    step: str
    events: list[Event] = field(default_factory=list)
    extras: dict = field(default_factory=dict)


def limit_days(info: VersionInfo) -> float:
    """The time limit in calendar days, roughly (for spacing the history)."""
    if info.limit is None:
        return 10.0
    if info.unit == "hours":
        return max(info.limit / 8, 0.5)
    if info.unit == "days":
        return max(info.limit, 0.5)
    return max(info.limit * 7 / 5, 0.5)


def simulate(rng, status: int, step: str, info: VersionInfo, channel: int, owner: int, staff: Staff) -> Plan:
    """The actions that lead to (status, step), as the state machine would have recorded them.

    ``plan.events`` holds (days since submission, Event) pairs; ``load`` places them in time."""
    plan = Plan(status, step)
    span = limit_days(info)
    dept_name = rng.choice(list(staff.departments))
    dept = staff.departments[dept_name]
    handler = rng.choice(dept["specialists"])
    desk = rng.choice(staff.one_stop)
    t = 0.0  # days since submission
    evs: list[tuple[float, Event]] = []

    def add(delay: float, **kwargs) -> None:
        nonlocal t
        t += delay
        evs.append((t, Event(at=None, **kwargs)))

    online = channel == 2
    add(
        0.0,
        action="submit" if online else "intake",
        from_status=0,
        to_status=1,
        to_step="",
        actor=owner if online else desk,
    )
    if status == 1:
        plan.events = evs
        return plan
    if status == 7 and rng.random() < 0.7:  # withdrawn before reception, by the citizen
        add(
            rng.uniform(0.05, 2),
            action="withdraw",
            from_status=1,
            to_status=7,
            to_step="",
            actor=owner,
            note=rng.choice(NOTES_WITHDRAW),
        )
        plan.events = evs
        return plan
    if status == 3:
        add(
            rng.uniform(0.05, 1.5),
            action="refuse",
            from_status=1,
            to_status=3,
            to_step="",
            actor=desk,
            note=rng.choice(NOTES_REFUSE),
            form="03",
        )
        plan.events = evs
        return plan
    add(
        rng.uniform(0.02, 1.2) if online else 0.001,
        action="receive",
        from_status=1,
        to_status=2,
        to_step="",
        actor=desk,
        form="01",
    )
    plan.extras["received_index"] = len(evs) - 1
    if status == 2:
        plan.events = evs
        return plan
    if status == 7:  # withdrawn on request after reception
        add(
            rng.uniform(0.1, span * 0.5),
            action="withdraw_on_request",
            from_status=2,
            to_status=7,
            to_step="",
            actor=desk,
            note=rng.choice(NOTES_WITHDRAW),
        )
        plan.events = evs
        return plan
    plan.extras["department"] = dept_name
    direct = rng.random() < 0.6  # the desk names the specialist at once
    add(
        rng.uniform(0.01, 0.8),
        action="assign",
        from_status=2,
        to_status=4,
        to_step="specialist" if direct else "department",
        actor=desk,
        department=dept_name,
        handler=handler if direct else None,
    )
    if status == 4 and step == "department":
        plan.events = evs
        return plan
    if not direct:
        add(
            rng.uniform(0.05, 1.0),
            action="assign_specialist",
            from_status=4,
            to_status=4,
            to_step="specialist",
            actor=dept["leader"],
            department=dept_name,
            handler=handler,
        )
    plan.extras["handler"] = handler
    if status == 8:
        add(
            rng.uniform(0.2, span * 0.6),
            action="stop",
            from_status=4,
            to_status=8,
            to_step="",
            actor=rng.choice([desk, staff.leader]),
            department=dept_name,
            note=rng.choice(NOTES_STOP),
            form="05",
        )
        plan.events = evs
        return plan
    if status == 4 and step == "specialist":
        plan.events = evs
        return plan
    if status == 4 and step == "transferred":
        add(
            rng.uniform(0.2, span * 0.3),
            action="transfer",
            from_status=4,
            to_status=4,
            to_step="transferred",
            actor=handler,
            department=dept_name,
            handler=handler,
            note="Đề nghị phối hợp xác minh thông tin của công dân.",
        )
        plan.extras["transfer_open"] = True
        plan.events = evs
        return plan
    # A supplement round (some finished dossiers had one; status 5 stops in it).
    if status == 5 or (status in (9, 10) and rng.random() < 0.08):
        add(
            rng.uniform(0.2, span * 0.3),
            action="request_supplement",
            from_status=4,
            to_status=5,
            to_step="specialist",
            actor=handler,
            department=dept_name,
            handler=handler,
            note="Hồ sơ còn thiếu giấy tờ.",
            form="02",
        )
        plan.extras.setdefault("supplements", []).append(
            {"index": len(evs) - 1, "items": rng.choice(MISSING), "answered": status != 5}
        )
        if status == 5:
            plan.events = evs
            return plan
        add(
            rng.uniform(0.5, 10),
            action="supplement_submit" if online else "supplement_received",
            from_status=5,
            to_status=4,
            to_step="specialist",
            actor=owner if online else desk,
            department=dept_name,
            handler=handler,
        )
        plan.extras["supplements"][-1]["answered_index"] = len(evs) - 1
    if status == 6 or (status in (9, 10) and rng.random() < 0.05):
        add(
            rng.uniform(0.1, span * 0.2),
            action="request_payment",
            from_status=4,
            to_status=6,
            to_step="specialist",
            actor=handler,
            department=dept_name,
            handler=handler,
        )
        if status == 6:
            plan.events = evs
            return plan
        add(
            rng.uniform(0.1, 3),
            action="payment_confirmed",
            from_status=6,
            to_status=4,
            to_step="specialist",
            actor=desk,
            department=dept_name,
            handler=handler,
        )
    add(
        rng.uniform(0.2, span * 0.5),
        action="propose",
        from_status=4,
        to_status=4,
        to_step="approval",
        actor=handler,
        department=dept_name,
        handler=handler,
        note=rng.choice(PROPOSALS),
    )
    if status == 4 and step == "approval":
        plan.events = evs
        return plan
    approver = dept["leader"] if rng.random() < 0.7 else staff.leader
    add(
        rng.uniform(0.05, span * 0.12),
        action="approve",
        from_status=4,
        to_status=4,
        to_step="issuing",
        actor=approver,
        department=dept_name,
        handler=handler,
    )
    if status == 4 and step == "issuing":
        plan.events = evs
        return plan
    add(
        rng.uniform(0.05, span * 0.1),
        action="record_result",
        from_status=4,
        to_status=9,
        to_step="",
        actor=rng.choice([desk, handler]),
        department=dept_name,
    )
    plan.extras["result_index"] = len(evs) - 1
    if status == 9:
        plan.events = evs
        return plan
    add(
        rng.uniform(0.05, 5),
        action="return_result",
        from_status=9,
        to_status=10,
        to_step="",
        actor=desk,
        department=dept_name,
    )
    plan.events = evs
    return plan


def verify_references(cursor, starts: dict) -> None:
    """Every foreign key of the rows added (id above the start) points at an existing row."""
    for model, start in starts.items():
        for f in model._meta.concrete_fields:
            if not f.is_relation:
                continue
            target = f.related_model._meta
            cursor.execute(
                f'''SELECT COUNT(*) FROM "{model._meta.db_table}" c
                    WHERE c.id > %s AND c."{f.column}" IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM "{target.db_table}" p WHERE p."{target.pk.column}" = c."{f.column}")''',  # nosec B608 # model names
                [start],
            )
            broken = cursor.fetchone()[0]
            if broken:
                raise RuntimeError(f"{broken} rows of {model.__name__}.{f.name} point nowhere")


def load(args) -> None:
    global LOADED
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from dossiers import deadlines
    from dossiers.models import (
        Dossier,
        DossierCodeCounter,
        DossierDocument,
        Handover,
        PostalIntake,
        Result,
        StatusChange,
        StoredFile,
        SupplementRequest,
        Transfer,
    )
    from printing.models import IssuedForm
    from procedures.models import Agency

    LOADED = (
        Dossier,
        StatusChange,
        StoredFile,
        DossierDocument,
        IssuedForm,
        SupplementRequest,
        Result,
        Handover,
        Transfer,
        PostalIntake,
    )

    now = timezone.now().replace(microsecond=0)
    started = time.monotonic()
    plans = [
        p if p.dossiers >= 0 else AgencyPlan(p.code, p.key, args.target, p.departments, p.specialists_per_department)
        for p in PLANS
    ]
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[p.code for p in plans])}
    missing_agencies = [p.code for p in plans if p.code not in agencies]
    if missing_agencies:
        raise SystemExit(f"agencies missing (seed_demo?): {missing_agencies}")
    staff = {p.code: ensure_staff(agencies[p.code], p) for p in plans}
    # Only this loader's own dossiers count (its citizens own every one of them): on the
    # generated province the agencies already hold generated dossiers of a simpler shape
    # (one document, no issued forms), and the officers' benchmark needs these shapes in
    # the smaller agency too.
    own = Dossier.objects.filter(owner__email__endswith="@" + CITIZEN_EMAIL_DOMAIN).exclude(status=0)
    existing = {p.code: own.filter(agency=agencies[p.code]).count() for p in plans}
    todo = {p.code: max(0, p.dossiers - existing[p.code]) for p in plans}
    print("dossiers now: " + ", ".join(f"{p.key} {existing[p.code]:,}" for p in plans))
    if not any(todo.values()):
        print("nothing to add")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return

    calendar = deadlines.WorkCalendar.load()
    with transaction.atomic(), connection.cursor() as cursor:
        # Bulk load: no per-row foreign-key triggers (they would double the load time);
        # every new row's references are checked set-wise before the commit instead.
        cursor.execute("SET LOCAL session_replication_role = replica")
        starts = {}
        for model in (User, *LOADED):
            starts[model] = Ids(cursor, model).last
        citizens = ensure_citizens(cursor, now)
        print(f"citizens: {len(citizens):,} ({time.monotonic() - started:.0f} s)")
        supplement_has_change = any(f.name == "change" for f in SupplementRequest._meta.concrete_fields)
        sup_extra: dict = {}
        explicit = {Dossier, StatusChange, StoredFile, IssuedForm}
        copiers = {m: Copier(m, now, explicit_pk=m in explicit) for m in LOADED}
        ids = {m: Ids(cursor, m) for m in (Dossier, StatusChange, StoredFile, IssuedForm)}
        cursor.execute("SELECT agency_code, day, last FROM dossiers_dossiercodecounter")
        counters = {(code, day): last for code, day, last in cursor.fetchall()}

        def flush_all() -> None:
            for copier in copiers.values():
                copier.flush(cursor)

        for p in plans:
            count = todo[p.code]
            if not count:
                continue
            agency = agencies[p.code]
            crew = staff[p.code]
            versions = versions_of(agency)
            weights = [v.weight for v in versions]
            rng = random.Random(f"{SEED}-{p.code}-{existing[p.code]}")
            partner = agencies[SMALL_CODE] if p.code == BIG_CODE else agencies[BIG_CODE]
            mix = [((s, st), share) for s, st, share in STATUS_MIX]
            # Decide every dossier's path and moments first, then number them in time order.
            pending = []
            for _ in range(count):
                status, step = weighted(rng, mix)
                info = rng.choices(versions, weights=weights, k=1)[0]
                channel = weighted(rng, [(2, 0.60), (1, 0.37), (3, 0.03)])
                owner = rng.choice(citizens)
                plan = simulate(rng, status, step, info, channel, owner[0], crew)
                offsets = [o for o, _ in plan.events]
                total = offsets[-1]
                if status in FINISHED:
                    end = now - datetime.timedelta(days=rng.uniform(1, 728) if total < 700 else 1)
                else:
                    running = status in (2, 4, 6)
                    late = running and rng.random() < 0.08 and info.limit is not None
                    if late:  # an overdue dossier: it has waited past its time limit
                        scale = limit_days(info) * rng.uniform(1.15, 1.8) / max(total, 0.01)
                        offsets = [o * max(scale, 1.0) for o in offsets]
                        total = offsets[-1]
                    end = now - datetime.timedelta(days=rng.uniform(0.01, 1.0 if status == 1 else 3.0))
                submitted = end - datetime.timedelta(days=total)
                submitted = submitted.replace(microsecond=0)
                for (_, ev), off in zip(plan.events, offsets, strict=True):
                    ev.at = submitted + datetime.timedelta(days=off)
                plan.events = [ev for _, ev in plan.events]
                pending.append((submitted, plan, info, channel, owner))
            pending.sort(key=lambda item: item[0])
            print(f"{p.key}: {count:,} dossiers planned ({time.monotonic() - started:.0f} s)")

            for n, (submitted, plan, info, channel, owner) in enumerate(pending, start=1):
                day = timezone.localdate(submitted)
                seq = counters.get((p.code, day), 0) + 1
                counters[(p.code, day)] = seq
                code = f"{p.code}-{day:%y%m%d}-{seq:04d}"
                pk = ids[Dossier].next()
                public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                events = plan.events
                received_at = None
                due = None
                if "received_index" in plan.extras:
                    received_at = events[plan.extras["received_index"]].at
                    if info.limit is not None:
                        due = deadlines.due_at(
                            received_at=received_at, amount=info.limit, unit=info.unit, calendar=calendar
                        )
                last = events[-1]
                status, step = plan.status, plan.step
                finished_at = last.at if status in FINISHED or status == 9 else None
                department = plan.extras.get("department", "")
                handler = plan.extras.get("handler") if status in (4, 5, 6) and step != "department" else None
                in_processing = status in (4, 5, 6)
                step_value = step if in_processing else ""
                step_due = None
                if status == 4 and due is not None:
                    step_start = last.at
                    step_due = min(due, step_start + datetime.timedelta(days=limit_days(info) * STEP_SHARES[step]))
                elif status in (5, 6) and due is not None:
                    step_due = min(due, last.at + datetime.timedelta(days=limit_days(info) * 0.6))
                case = rng.choice(info.cases) if info.cases else None
                name, national_id, phone, address = owner[2], owner[1], owner[3], owner[4]
                answers = {}
                for key, kind, choices in info.fields:
                    if kind == "date":
                        answers[key] = (submitted.date() - datetime.timedelta(days=rng.randrange(30, 9000))).isoformat()
                    elif kind == "number":
                        answers[key] = str(rng.randrange(1, 5))
                    elif kind == "choice" and choices:
                        answers[key] = rng.choice(choices)
                    elif kind == "checkbox":
                        answers[key] = "có"
                    elif kind == "textarea":
                        answers[key] = "Đề nghị cơ quan xem xét, giải quyết theo quy định."
                    else:
                        answers[key] = name if "ten" in key else f"Nội dung {key.replace('_', ' ')}"
                delivery = "online" if channel == 2 and rng.random() < 0.5 else ("post" if channel == 3 else "counter")
                copiers[Dossier].add(
                    id=pk,
                    public_id=public_id,
                    code=code,
                    procedure_version_id=info.pk,
                    case_id=case,
                    agency_id=agency.pk,
                    owner_id=owner[0],
                    owner_type=1,
                    channel=channel,
                    status=status,
                    applicant_name=name,
                    applicant_id_number=national_id,
                    applicant_phone=phone,
                    applicant_email=f"{national_id}@{CITIZEN_EMAIL_DOMAIN}",
                    applicant_address=address,
                    form_data=answers,
                    created_at=submitted - datetime.timedelta(minutes=rng.randrange(3, 600)),
                    updated_at=last.at,
                    submitted_at=submitted,
                    received_at=received_at,
                    due_at=due,
                    finished_at=finished_at,
                    withdraw_reason=last.note if status == 7 else "",
                    step=step_value,
                    department=department,
                    handler_id=handler,
                    step_due_at=step_due,
                    transfer_agency_id=partner.pk if plan.extras.get("transfer_open") else None,
                    result_delivery=delivery,
                    delivery_address=address if delivery == "post" else "",
                    counter_officer_id=events[0].actor if channel != 2 else None,
                )
                # History, as dossier_transition writes it.
                change_ids = []
                for ev in events:
                    cid = ids[StatusChange].next()
                    change_ids.append(cid)
                    if ev.to_status == 4:
                        deadline = (
                            min(due, ev.at + datetime.timedelta(days=limit_days(info) * STEP_SHARES[ev.to_step]))
                            if due is not None
                            else None
                        )
                    else:
                        deadline = due if ev.to_status != 1 else None
                    copiers[StatusChange].add(
                        id=cid,
                        dossier_id=pk,
                        from_status=ev.from_status,
                        to_status=ev.to_status,
                        action=ev.action,
                        actor_id=ev.actor,
                        at=ev.at,
                        note=ev.note,
                        step_deadline=deadline,
                        to_step=ev.to_step,
                        department=ev.department,
                        handler_id=ev.handler,
                        agency_id=partner.pk if ev.to_step == "transferred" else agency.pk,
                    )
                    if ev.form:
                        fid = ids[IssuedForm].next()
                        copiers[IssuedForm].add(
                            id=fid,
                            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                            dossier_id=pk,
                            kind=ev.form,
                            change_id=cid,
                            state="ready",
                            file=f"forms/{public_id}/mau-{ev.form}-{uuid.uuid4().hex}.pdf",
                            created_at=ev.at,
                            rendered_at=ev.at + datetime.timedelta(seconds=rng.randrange(2, 40)),
                        )
                # Documents: one stored file per required document of the dossier's case.
                for doc_id, doc_case, doc_name in info.documents:
                    if doc_case is not None and doc_case != case:
                        continue
                    sid = ids[StoredFile].next()
                    pages = rng.randrange(1, 6)
                    copiers[StoredFile].add(
                        id=sid,
                        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        owner_id=owner[0],
                        kind="upload",
                        title=doc_name[:500],
                        file=f"wallet/{owner[0]}/{uuid.uuid4().hex}.pdf",
                        content_type="application/pdf",
                        size=pages * rng.randrange(150_000, 400_000),
                        sha256=f"{rng.getrandbits(256):064x}",
                        page_count=pages,
                        created_at=submitted - datetime.timedelta(minutes=rng.randrange(1, 120)),
                        source_dossier_id=None,
                    )
                    copiers[DossierDocument].add(
                        dossier_id=pk,
                        required_document_id=doc_id,
                        stored_file_id=sid,
                        render_state="ready",
                        render_key="",
                        original_seen=channel != 2,
                        updated_at=submitted,
                    )
                for sup in plan.extras.get("supplements", []):
                    requested = events[sup["index"]]
                    answered = events[sup["answered_index"]].at if sup.get("answered") else None
                    if supplement_has_change:  # the history row of the request (dossiers.0004)
                        sup_extra = {"change_id": change_ids[sup["index"]]}
                    copiers[SupplementRequest].add(
                        **sup_extra,
                        dossier_id=pk,
                        items=sup["items"],
                        reason=requested.note,
                        respond_by=timezone.localdate(requested.at) + datetime.timedelta(days=15),
                        from_status=4,
                        requested_by_id=requested.actor,
                        requested_at=requested.at,
                        answered_at=answered,
                        answer_note="Đã bổ sung." if answered else "",
                    )
                if "result_index" in plan.extras:
                    rec = events[plan.extras["result_index"]]
                    sid = ids[StoredFile].next()
                    copiers[StoredFile].add(
                        id=sid,
                        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        owner_id=owner[0],
                        kind="result",
                        title=f"Kết quả hồ sơ {code}: {info.name}"[:500],
                        file=f"wallet/{owner[0]}/{uuid.uuid4().hex}.pdf",
                        content_type="application/pdf",
                        size=rng.randrange(80_000, 600_000),
                        sha256=f"{rng.getrandbits(256):064x}",
                        page_count=rng.randrange(1, 4),
                        created_at=rec.at,
                        source_dossier_id=pk,
                    )
                    copiers[Result].add(
                        dossier_id=pk,
                        number=f"{rng.randrange(1, 9999)}/GCN-UBND",
                        issued_on=timezone.localdate(rec.at),
                        issuer=agency.name,
                        summary=f"Kết quả giải quyết: {info.name}"[:500],
                        stored_file_id=sid,
                        recorded_by_id=rec.actor,
                        recorded_at=rec.at,
                    )
                if status == 10:
                    copiers[Handover].add(
                        dossier_id=pk,
                        method=delivery,
                        receiver_name=name,
                        receiver_id_number=national_id if delivery == "counter" else "",
                        tracking_number=f"EL{rng.randrange(10**8, 10**9)}VN" if delivery == "post" else "",
                        postal_fee=rng.choice([22_000, 25_000, 30_000]) if delivery == "post" else 0,
                        handed_over_by_id=last.actor,
                        at=last.at,
                    )
                if plan.extras.get("transfer_open"):
                    copiers[Transfer].add(
                        dossier_id=pk,
                        to_agency_id=partner.pk,
                        note=last.note,
                        sent_by_id=last.actor,
                        sent_at=last.at,
                    )
                if channel == 3:
                    copiers[PostalIntake].add(
                        dossier_id=pk,
                        record_number=f"BB{rng.randrange(10**5, 10**6)}",
                        tracking_number=f"EL{rng.randrange(10**8, 10**9)}VN",
                        postal_fee=rng.choice([22_000, 25_000]),
                        handed_over_at=submitted,
                        postal_worker="Nhân viên Bưu điện Thanh Hóa",
                    )
                if n % 20_000 == 0:
                    flush_all()
                    print(f"{p.key}: {n:,}/{count:,} ({time.monotonic() - started:.0f} s)", flush=True)
            flush_all()
            print(f"{p.key}: {count:,} dossiers written ({time.monotonic() - started:.0f} s)", flush=True)

        # The daily code counters: the next real dossier of a day continues the sequence.
        buf = io.StringIO()
        for (code, day), last in counters.items():
            buf.write(f"{code}\t{day.isoformat()}\t{last}\n")
        buf.seek(0)
        cursor.execute("CREATE TEMP TABLE bench_counters (agency_code text, day date, last int) ON COMMIT DROP")
        cursor.copy_expert("COPY bench_counters FROM STDIN", buf)
        cursor.execute(
            f"""INSERT INTO {DossierCodeCounter._meta.db_table} (agency_code, day, last)
                SELECT agency_code, day, last FROM bench_counters
                ON CONFLICT (agency_code, day) DO UPDATE SET last = GREATEST(
                    {DossierCodeCounter._meta.db_table}.last, EXCLUDED.last)"""  # nosec B608 # the model's table
        )
        verify_references(cursor, starts)
        from django.core.management.color import no_style

        models = [User, *copiers]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        totals = ", ".join(f"{m.__name__} {c.total:,}" for m, c in copiers.items())
        print(f"rows: {totals}")
        print(f"committing ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"committed ({time.monotonic() - started:.0f} s); ANALYZE", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: visibility map set, statistics fresh
    print(f"done in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=int, default=200_000, help="dossiers in the big agency (default 200000)")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_name(url).startswith(("portal_bench_desk", "portal_prov")):
        raise SystemExit(
            f"refusing to load benchmark data into {database_name(url)!r}: use portal_bench_desk or portal_province"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    if ensure_database(url):
        print(f"created database {database_name(url)}")
    import django

    django.setup()
    from django.core.management import call_command

    from procedures.models import Agency

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.filter(code=BIG_CODE).exists():
        call_command("seed_demo")
    load(args)
    from dossiers.models import Dossier

    counts = {p.key: Dossier.objects.filter(agency__code=p.code).exclude(status=0).count() for p in PLANS}
    print("dossiers in each agency now: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0 if counts["hacthanh"] >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
