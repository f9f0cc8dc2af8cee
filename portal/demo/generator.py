"""Synthetic catalogs for benchmarks (``manage.py generate_catalog --count 2000``).

Procedures get codes ``3.000001``, ``3.000002``… (the demo catalog uses ``1.`` and
``2.``), names composed from real wording (action + subject + qualifier), a field,
an implementing agency of the demo province, a service level drawn with a real
province's mix, 2–5 documents, fees and a legal basis. Content depends only on
``seed`` and the procedure's index, so a run is deterministic and a second run skips
the codes that exist. Rows are written with ``bulk_create``: a published, current
version per procedure, with ``search_text`` and ``max_service_level`` filled as
``ProcedureVersion.save()`` would.
"""

import dataclasses
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.text import fold
from procedures.constants import AgencyRole, FeeKind, TimeUnit, VersionStatus
from procedures.models import (
    Fee,
    Field,
    FormField,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
)

from . import agencies as demo_agencies
from . import laws
from .catalog_base import (
    AUDIENCE,
    COMMUNE_ADDRESS,
    FIELD_LAWS,
    GENERIC_FORM,
    PROVINCE_ADDRESS,
    Row,
    default_steps,
    parse_doc,
)

CODE_PREFIX = "3."
EFFECTIVE_FROM = datetime.date(2025, 7, 1)
BATCH = 500

ACTIONS = ["Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Đăng ký", "Xác nhận", "Công nhận", "Thẩm định"]
NOTICE_ACTIONS = ["Thông báo", "Đăng ký", "Xác nhận", "Công bố"]

# field code, agency key ("XA" = communes), subject, result, "CN"/"TC"/"CNTC"
SUBJECTS = [
    ("XD-XD", "SXD", "giấy phép xây dựng công trình hạ tầng kỹ thuật", "Giấy phép xây dựng", "TC"),
    ("XD-XD", "XA", "giấy phép xây dựng nhà ở riêng lẻ tại khu vực nông thôn", "Giấy phép xây dựng", "CN"),
    ("XD-NO", "SXD", "giấy chứng nhận đủ điều kiện kinh doanh nhà ở thương mại", "Giấy chứng nhận", "TC"),
    ("XD-DB", "SXD", "giấy phép vận tải hành khách theo tuyến cố định liên tỉnh", "Giấy phép", "TC"),
    ("CT-TM", "SCT", "giấy phép kinh doanh hàng hóa thuộc danh mục hạn chế kinh doanh", "Giấy phép", "TC"),
    ("CT-LTHH", "SCT", "giấy chứng nhận đủ điều kiện kinh doanh khí dầu mỏ hóa lỏng", "Giấy chứng nhận", "TC"),
    ("CT-XTTM", "SCT", "chương trình khuyến mại theo hình thức tặng phiếu dự thi", "Văn bản xác nhận", "TC"),
    ("ATTP", "SYT", "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm bếp ăn tập thể", "Giấy chứng nhận", "TC"),
    ("ATTP", "XA", "giấy xác nhận kiến thức về an toàn thực phẩm cho hộ kinh doanh", "Giấy xác nhận", "CN"),
    ("TC-DKKD", "STC", "nội dung đăng ký hoạt động địa điểm kinh doanh", "Giấy xác nhận", "TC"),
    ("TC-DKKD", "XA", "hộ kinh doanh hoạt động trong lĩnh vực dịch vụ ăn uống", "Giấy chứng nhận", "CN"),
    ("TC-DT", "BQLKKT", "dự án đầu tư trong khu công nghiệp Bỉm Sơn, Lam Sơn – Sao Vàng", "Giấy chứng nhận", "TC"),
    ("NV-LD", "SNV", "hợp đồng cung ứng lao động đi làm việc ở nước ngoài", "Văn bản xác nhận", "TC"),
    ("NV-NCC", "XA", "chế độ ưu đãi đối với thân nhân người có công với cách mạng", "Quyết định trợ cấp", "CN"),
    ("NV-TDKT", "SNV", "danh hiệu Tập thể lao động xuất sắc", "Quyết định khen thưởng", "TC"),
    ("YT-KCB", "SYT", "giấy phép hoạt động phòng khám y học cổ truyền", "Giấy phép hoạt động", "CNTC"),
    ("YT-DUOC", "SYT", "giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán buôn", "Giấy chứng nhận", "TC"),
    ("YT-BTXH", "XA", "trợ cấp xã hội hằng tháng cho người cao tuổi", "Quyết định trợ cấp", "CN"),
    ("GD-GD", "SGD", "hoạt động giáo dục của trung tâm giáo dục thường xuyên", "Quyết định", "TC"),
    ("GD-GD", "XA", "hoạt động giáo dục của nhóm trẻ độc lập tư thục", "Quyết định", "CNTC"),
    ("MT-DD", "VPDKDD", "biến động đất đai do thay đổi thông tin người sử dụng đất", "Giấy chứng nhận", "CNTC"),
    ("MT-DD", "XA", "quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân", "Giấy chứng nhận", "CN"),
    ("MT-MT", "SNNMT", "kế hoạch bảo vệ môi trường của cơ sở sản xuất", "Văn bản xác nhận", "TC"),
    ("MT-TNN", "SNNMT", "giấy phép xả nước thải vào nguồn nước", "Giấy phép", "TC"),
    ("NN-TS", "SNNMT", "giấy chứng nhận cơ sở nuôi trồng thủy sản", "Giấy chứng nhận", "CNTC"),
    ("NN-LN", "SNNMT", "phương án quản lý rừng bền vững của chủ rừng là tổ chức", "Quyết định phê duyệt", "TC"),
    ("VH-DL", "SVH", "cơ sở kinh doanh dịch vụ du lịch đạt chuẩn phục vụ khách du lịch", "Quyết định", "TC"),
    ("VH-VH", "XA", "hoạt động kinh doanh dịch vụ văn hóa công cộng", "Giấy chứng nhận", "CNTC"),
    ("DT-TG", "SDTTG", "hoạt động tôn giáo ngoài cơ sở tôn giáo", "Văn bản chấp thuận", "TC"),
    ("KH-TCDL", "SKHCN", "tổ chức thử nghiệm, giám định sản phẩm hàng hóa", "Giấy chứng nhận", "TC"),
    ("TP-HT", "XA", "thông tin hộ tịch của công dân cư trú tại địa phương", "Trích lục hộ tịch", "CN"),
    ("TP-CT", "XA", "bản dịch giấy tờ, văn bản từ tiếng nước ngoài sang tiếng Việt", "Bản dịch được chứng thực", "CN"),
]
QUALIFIERS = [
    "",
    "",
    " đối với tổ chức, doanh nghiệp có vốn đầu tư nước ngoài",
    " trên địa bàn tỉnh Thanh Hóa",
    " trong Khu kinh tế Nghi Sơn",
    " (trường hợp thay đổi nội dung)",
    " do bị mất, hỏng",
    " theo cơ chế một cửa liên thông",
]
DOCUMENTS = [
    "Đơn đề nghị theo mẫu@Mẫu đơn đề nghị",
    "Tờ khai theo mẫu@Mẫu tờ khai",
    "~Giấy chứng nhận đăng ký doanh nghiệp hoặc giấy tờ tương đương",
    "~Văn bản chấp thuận của cơ quan có thẩm quyền",
    "Bản thuyết minh điều kiện hoạt động",
    "?Văn bản ủy quyền (trường hợp ủy quyền)",
    "2~Bản vẽ, sơ đồ vị trí",
    "=Giấy tờ tùy thân có ảnh của người nộp hồ sơ",
]
LEVEL_WEIGHTS = [(1, 20), (2, 42), (3, 33), (4, 5)]


def _level(rng: random.Random) -> int:
    roll = rng.randrange(100)
    for level, weight in LEVEL_WEIGHTS:
        if roll < weight:
            return level
        roll -= weight
    return 2


def generated_code(index: int) -> str:
    return f"{CODE_PREFIX}{index:06d}"


def _parse_spec(spec: str) -> dict:
    return dataclasses.asdict(parse_doc(spec))


def generate_catalog(*, count: int, seed: int = 1, start: int = 1) -> dict:
    """Create ``count`` procedures with codes from ``3.<start>``; existing codes are skipped."""
    from .loader import _load_reference, agency_map

    _load_reference()  # agencies and fields of the demo province, created if missing
    by_key = agency_map()
    communes = [by_key[key] for key, *_ in demo_agencies.COMMUNES]
    fields = {f.code: f for f in Field.objects.all()}
    codes = [generated_code(i) for i in range(start, start + count)]
    existing = set(Procedure.objects.filter(national_code__in=codes).values_list("national_code", flat=True))
    todo = [(start + n, code) for n, code in enumerate(codes) if code not in existing]
    created = 0
    for offset in range(0, len(todo), BATCH):
        with transaction.atomic():
            created += _create_batch(todo[offset : offset + BATCH], seed, by_key, communes, fields)
    return {"created": created, "skipped": len(existing)}


def _create_batch(items, seed, by_key, communes, fields) -> int:
    now = timezone.now()
    plans = []
    for index, code in items:
        rng = random.Random(f"{seed}:{index}")  # nosec B311 # seeded generator of synthetic data, reproducible on purpose
        field_code, agency_key, subject, result, who = rng.choice(SUBJECTS)
        action = rng.choice(NOTICE_ACTIONS if field_code == "CT-XTTM" else ACTIONS)
        name = f"{action} {subject}{rng.choice(QUALIFIERS)}"
        level = _level(rng)
        commune = agency_key == "XA"
        implementing = rng.sample(communes, rng.randint(1, 6)) if commune else [by_key[agency_key]]
        row = Row(code, name, field_code, agency_key, level, "", [], result, who=who)
        plans.append((rng, row, implementing))

    procedures = Procedure.objects.bulk_create([Procedure(national_code=row.code) for _, row, _ in plans])
    versions = []
    for procedure, (rng, row, implementing) in zip(procedures, plans, strict=True):
        applicants, for_individuals, for_organisations = AUDIENCE[row.who]
        time_limit = Decimal(rng.choice([1, 3, 5, 7, 10, 15, 20, 30]))
        agency_name = "Ủy ban nhân dân cấp xã" if row.at_commune else implementing[0].name
        versions.append(
            ProcedureVersion(
                procedure=procedure,
                number=1,
                status=VersionStatus.PUBLISHED,
                effective_from=EFFECTIVE_FROM,
                published_at=now,
                is_current=True,
                name=row.name,
                keywords="",
                service_level=row.level,
                max_service_level=row.level,
                at_province=not row.at_commune,
                at_commune=row.at_commune,
                steps="\n".join(default_steps(row, agency_name)),
                channel_counter=True,
                channel_post=row.level >= 2,
                channel_online=row.level >= 3,
                time_limit=time_limit,
                time_limit_unit=TimeUnit.WORKING_DAYS,
                applicants=applicants,
                for_individuals=for_individuals,
                for_organisations=for_organisations,
                results=row.result,
                conditions="Không",
                receiving_address=COMMUNE_ADDRESS if row.at_commune else PROVINCE_ADDRESS,
                decision_number="2025/QĐ-UBND",
                decision_date=datetime.date(2025, 6, 27),
                search_text=fold(f"{row.name} {row.code} ")[:1200],
            )
        )
    versions = ProcedureVersion.objects.bulk_create(versions)

    through = ProcedureVersion.fields.through
    links, documents, fees, roles, bases, questions = [], [], [], [], [], []
    for version, (rng, row, implementing) in zip(versions, plans, strict=True):
        if row.field in fields:
            links.append(through(procedureversion_id=version.pk, field_id=fields[row.field].pk))
        for order, spec in enumerate([DOCUMENTS[rng.randrange(2)]] + rng.sample(DOCUMENTS[2:], rng.randint(1, 4))):
            documents.append(RequiredDocument(version=version, order=order, **_parse_spec(spec)))
        if rng.random() < 0.55:
            kind = rng.choice([FeeKind.CHARGE, FeeKind.LEVY])
            label = "Phí thẩm định hồ sơ" if kind == FeeKind.CHARGE else "Lệ phí cấp giấy"
            fees.append(Fee(version=version, kind=kind, name=label, amount=rng.choice([20000, 50000, 100000, 500000])))
        roles += [ProcedureAgency(version=version, agency=a, role=AgencyRole.IMPLEMENTING) for a in implementing]
        for key in FIELD_LAWS.get(row.field, [])[:2]:
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
        if row.level >= 3:
            questions += [
                FormField(version=version, key=key, label=label, kind=kind, choices=choices, order=n)
                for n, (key, label, kind, choices) in enumerate(GENERIC_FORM)
            ]
    through.objects.bulk_create(links)
    RequiredDocument.objects.bulk_create(documents)
    Fee.objects.bulk_create(fees)
    ProcedureAgency.objects.bulk_create(roles)
    LegalBasis.objects.bulk_create(bases)
    FormField.objects.bulk_create(questions)
    return len(versions)
