"""Excel/CSV import and export of the catalog (django-import-export).

Column headers are in Vietnamese, as admins see them in the spreadsheet. Importing
a procedure row writes into that procedure's *draft* (opening one if needed); it
never touches a published version, so nothing reaches citizens until an admin
publishes. Every bad cell is reported at its row and column; one bad row and
nothing is imported (``IMPORT_EXPORT_USE_TRANSACTIONS``).
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from portal.text import fold, slugify_vi

from .constants import AGENCY_CODE_PATTERN, NATIONAL_CODE_PATTERN, AgencyRole, FeeKind, Tier, TimeUnit
from .models import Agency, Fee, LegalBasis, Procedure, ProcedureAgency, ProcedureVersion, RequiredDocument
from .models import Field as CatalogField
from .services import version_create_draft, version_next_number

LIST_SEPARATORS = re.compile(r"[;\n]+")

TIER_WORDS = {
    "bo": Tier.MINISTRY,
    "cap bo": Tier.MINISTRY,
    "0": Tier.MINISTRY,
    "tinh": Tier.PROVINCE,
    "cap tinh": Tier.PROVINCE,
    "1": Tier.PROVINCE,
    "huyen": Tier.DISTRICT,
    "cap huyen": Tier.DISTRICT,
    "2": Tier.DISTRICT,
    "xa": Tier.COMMUNE,
    "cap xa": Tier.COMMUNE,
    "3": Tier.COMMUNE,
}
TIER_FLAG = {
    Tier.MINISTRY: "at_ministry",
    Tier.PROVINCE: "at_province",
    Tier.DISTRICT: "at_district",
    Tier.COMMUNE: "at_commune",
}
UNIT_WORDS = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "working_days": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.DAYS,
    "days": TimeUnit.DAYS,
    "gio": TimeUnit.HOURS,
    "gio lam viec": TimeUnit.HOURS,
    "hours": TimeUnit.HOURS,
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(value) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]


class NationalCodeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        if not code:
            raise ValueError("Thiếu mã thủ tục.")
        if not re.match(NATIONAL_CODE_PATTERN, code):
            raise ValueError(f"Mã thủ tục “{code[:40]}” không đúng dạng d.dddddd (ví dụ 1.001193).")
        return code


class RequiredTextWidget(widgets.Widget):
    def __init__(self, label: str, max_length: int):
        self.label = label
        self.max_length = max_length
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(f"Thiếu {self.label}.")
        if len(text) > self.max_length:
            raise ValueError(f"{self.label.capitalize()} dài quá {self.max_length} ký tự.")
        return text


class OptionalTextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ServiceLevelWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text not in {"1", "2", "3", "4"}:
            raise ValueError(f"Mức độ phải là 1, 2, 3 hoặc 4 (đang là “{text[:20]}”).")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return str(value)


class VndWidget(widgets.Widget):
    """Whole đồng: "100.000", "100000" and "100 000 đ" are all 100000."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text or fold(text) in {"khong", "0"}:
            return 0
        digits = re.sub(r"[\s.]|đ|d|vnd", "", fold(text).replace("dong", ""))
        if not digits.isdigit():
            raise ValueError(f"Số tiền “{text[:30]}” không hợp lệ: chỉ ghi số nguyên đồng, không âm, ví dụ 100000.")
        amount = int(digits)
        if amount > 10_000_000_000:
            raise ValueError("Số tiền vượt quá 10 tỷ đồng, hãy kiểm tra lại.")
        return amount

    def render(self, value, obj=None, **kwargs):
        return value or 0


class TimeLimitWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"Thời hạn “{text[:20]}” phải là một số, ví dụ 5 hoặc 0,5.") from None
        if amount < 0 or amount > 9999:
            raise ValueError("Thời hạn phải từ 0 đến 9999.")
        return amount

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.normalize():f}"


class TimeUnitWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = fold(_text(value))
        if not text:
            return TimeUnit.WORKING_DAYS
        if text not in UNIT_WORDS:
            raise ValueError("Đơn vị thời hạn phải là “ngày làm việc”, “ngày” hoặc “giờ”.")
        return UNIT_WORDS[text]

    def render(self, value, obj=None, **kwargs):
        return TimeUnit(value).label if value else ""


class TiersWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        tiers = []
        for part in re.split(r"[;,\n]+", _text(value)):
            word = fold(part.strip())
            if not word:
                continue
            if word not in TIER_WORDS:
                raise ValueError(f"Cấp thực hiện “{part.strip()[:30]}” không hợp lệ (Tỉnh, Xã, Huyện hoặc Bộ).")
            tiers.append(TIER_WORDS[word])
        if not tiers:
            raise ValueError("Thiếu cấp thực hiện (Tỉnh, Xã…).")
        return tiers


class FieldsWidget(widgets.Widget):
    """Fields (lĩnh vực) by code or by name; unknown names are created."""

    def clean(self, value, row=None, **kwargs):
        return _split(value)


class AgenciesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        codes = _split(value)
        if not codes:
            raise ValueError("Thiếu mã cơ quan thực hiện.")
        bad = [c for c in codes if not re.match(AGENCY_CODE_PATTERN, c)]
        if bad:
            raise ValueError(f"Mã cơ quan “{bad[0][:30]}” không đúng dạng 000.00.06.H56.")
        known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValueError(f"Không có cơ quan mang mã {', '.join(unknown[:3])} trong danh mục cơ quan.")
        return codes


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (shown once, above the rows)."""


class ProcedureVersionResource(resources.ModelResource):
    """One row per procedure; importing fills the procedure's draft."""

    national_code = fields.Field(
        attribute="import_national_code", column_name="Mã thủ tục", widget=NationalCodeWidget()
    )
    name = fields.Field(attribute="name", column_name="Tên thủ tục", widget=RequiredTextWidget("tên thủ tục", 500))
    service_level = fields.Field(attribute="service_level", column_name="Mức độ", widget=ServiceLevelWidget())
    tiers = fields.Field(attribute="import_tiers", column_name="Cấp thực hiện", widget=TiersWidget())
    field_names = fields.Field(attribute="import_fields", column_name="Lĩnh vực", widget=FieldsWidget())
    agencies = fields.Field(attribute="import_agencies", column_name="Cơ quan thực hiện", widget=AgenciesWidget())
    time_limit = fields.Field(attribute="time_limit", column_name="Thời hạn giải quyết", widget=TimeLimitWidget())
    time_limit_unit = fields.Field(attribute="time_limit_unit", column_name="Đơn vị thời hạn", widget=TimeUnitWidget())
    charge = fields.Field(attribute="import_charge", column_name="Phí (đồng)", widget=VndWidget())
    levy = fields.Field(attribute="import_levy", column_name="Lệ phí (đồng)", widget=VndWidget())
    steps = fields.Field(attribute="steps", column_name="Trình tự thực hiện", widget=OptionalTextWidget())
    documents = fields.Field(attribute="import_documents", column_name="Thành phần hồ sơ", widget=OptionalTextWidget())
    applicants = fields.Field(attribute="applicants", column_name="Đối tượng thực hiện", widget=OptionalTextWidget())
    results = fields.Field(attribute="results", column_name="Kết quả thực hiện", widget=OptionalTextWidget())
    conditions = fields.Field(attribute="conditions", column_name="Yêu cầu, điều kiện", widget=OptionalTextWidget())
    legal = fields.Field(attribute="import_legal", column_name="Căn cứ pháp lý", widget=OptionalTextWidget())

    class Meta:
        model = ProcedureVersion
        import_id_fields = ["national_code"]
        fields = [
            "national_code",
            "name",
            "service_level",
            "tiers",
            "field_names",
            "agencies",
            "time_limit",
            "time_limit_unit",
            "charge",
            "levy",
            "steps",
            "documents",
            "applicants",
            "results",
            "conditions",
            "legal",
        ]
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    # --- export ------------------------------------------------------------------
    def get_queryset(self):
        return (
            ProcedureVersion.objects.filter(is_current=True)
            .select_related("procedure")
            .prefetch_related("fields", "agency_roles__agency", "fees", "documents", "legal_bases")
        )

    def dehydrate_national_code(self, v):
        return v.procedure.national_code

    def dehydrate_tiers(self, v):
        return ", ".join(
            label
            for flag, label in (
                (v.at_province, "Tỉnh"),
                (v.at_commune, "Xã"),
                (v.at_district, "Huyện"),
                (v.at_ministry, "Bộ"),
            )
            if flag
        )

    def dehydrate_field_names(self, v):
        return "; ".join(f.name for f in v.fields.all())

    def dehydrate_agencies(self, v):
        return "; ".join(r.agency.code for r in v.agency_roles.all())

    def dehydrate_charge(self, v):
        return sum(f.amount for f in v.fees.all() if f.kind == FeeKind.CHARGE)

    def dehydrate_levy(self, v):
        return sum(f.amount for f in v.fees.all() if f.kind == FeeKind.LEVY)

    def dehydrate_documents(self, v):
        return "\n".join(d.name for d in v.documents.all())

    def dehydrate_legal(self, v):
        return "\n".join(f"{b.number} {b.title}".strip() for b in v.legal_bases.all())

    # --- import ------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        # A missing column would silently empty that part of the draft (agencies,
        # fields) or break the row, so the file must carry every column.
        headers = dataset.headers or []
        missing = [f.column_name for f in self.get_import_fields() if f.column_name not in headers]
        if missing:
            del dataset[:]  # nothing to import row by row; the one message says why
            raise ImportFileError(
                "Tệp thiếu cột: " + ", ".join(missing) + ". Dòng đầu tiên của tệp phải là tiêu đề cột "
                "đúng như tệp xuất từ trang quản trị."
            )

    def handle_import_error(self, result, error, raise_errors=False):
        if isinstance(error, ImportFileError):
            error.__traceback__ = None  # the message is for the admin; no Python traceback
        super().handle_import_error(result, error, raise_errors)

    def get_instance(self, instance_loader, row):
        code = _text(row.get("Mã thủ tục"))
        if not re.match(NATIONAL_CODE_PATTERN, code):
            return None
        procedure = Procedure.objects.filter(national_code=code).first()
        if procedure is None:
            return None
        return version_create_draft(procedure=procedure)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        tiers = getattr(instance, "import_tiers", None) or []
        if tiers:
            for tier, flag in TIER_FLAG.items():
                setattr(instance, flag, tier in tiers)
        instance.channel_online = instance.service_level >= 3
        instance.max_service_level = instance.service_level

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name in ("procedure", "number"):
            errors.setdefault(name, None)
        try:
            instance.full_clean(exclude=list(errors.keys()), validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        real = {k: v for k, v in errors.items() if v}
        if real:
            raise ValidationError(real)

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.procedure_id:
            procedure, _ = Procedure.objects.get_or_create(national_code=instance.import_national_code)
            instance.procedure = procedure
            instance.number = version_next_number(procedure)

    def after_save_instance(self, instance, row, **kwargs):
        version = instance
        names = getattr(version, "import_fields", [])
        field_objs = [_field_by_code_or_name(name) for name in names]
        version.fields.set(field_objs)

        codes = getattr(version, "import_agencies", [])
        version.agency_roles.all().delete()
        for code in codes:
            ProcedureAgency.objects.create(
                version=version, agency=Agency.objects.get(code=code), role=AgencyRole.IMPLEMENTING
            )

        version.fees.all().delete()
        for kind, amount in ((FeeKind.CHARGE, version.import_charge), (FeeKind.LEVY, version.import_levy)):
            if amount:
                Fee.objects.create(version=version, kind=kind, name=FeeKind(kind).label, amount=amount)

        doc_lines = _split(getattr(version, "import_documents", ""))
        if doc_lines:
            version.documents.all().delete()
            for order, line in enumerate(doc_lines):
                RequiredDocument.objects.create(version=version, name=line[:1000], order=order)

        legal_lines = _split(getattr(version, "import_legal", ""))
        if legal_lines:
            version.legal_bases.all().delete()
            for line in legal_lines:
                number, _, title = line.partition(" ")
                LegalBasis.objects.create(version=version, number=number[:100], title=(title or line)[:1000])


def _field_by_code_or_name(name: str) -> CatalogField:
    found = CatalogField.objects.filter(code=name).first() or CatalogField.objects.filter(name__iexact=name).first()
    if found:
        return found
    slug = slugify_vi(name)[:110] or "linh-vuc"
    base, n = slug, 2
    while CatalogField.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return CatalogField.objects.create(code=slug[:30], name=name[:255], slug=slug)


class AgencyResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Mã định danh")
    name = fields.Field(attribute="name", column_name="Tên cơ quan", widget=RequiredTextWidget("tên cơ quan", 255))
    short_name = fields.Field(attribute="short_name", column_name="Tên viết tắt", widget=OptionalTextWidget())
    tier = fields.Field(attribute="tier", column_name="Cấp")
    parent = fields.Field(
        attribute="parent", column_name="Mã cơ quan cấp trên", widget=widgets.ForeignKeyWidget(Agency, field="code")
    )
    address = fields.Field(attribute="address", column_name="Địa chỉ", widget=OptionalTextWidget())
    phone = fields.Field(attribute="phone", column_name="Điện thoại", widget=OptionalTextWidget())
    email = fields.Field(attribute="email", column_name="Thư điện tử", widget=OptionalTextWidget())
    effective_from = fields.Field(
        attribute="effective_from", column_name="Hiệu lực từ", widget=widgets.DateWidget(coerce_to_string=False)
    )
    effective_to = fields.Field(
        attribute="effective_to", column_name="Hết hiệu lực từ", widget=widgets.DateWidget(coerce_to_string=False)
    )
    successor = fields.Field(
        attribute="successor", column_name="Mã cơ quan kế thừa", widget=widgets.ForeignKeyWidget(Agency, field="code")
    )

    class Meta:
        model = Agency
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "short_name",
            "tier",
            "parent",
            "address",
            "phone",
            "email",
            "effective_from",
            "effective_to",
            "successor",
        ]
        clean_model_instances = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        tier = fold(_text(row.get("Cấp")))
        if tier in TIER_WORDS:
            row["Cấp"] = TIER_WORDS[tier].value

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            base = slugify_vi(instance.name)[:100] or "co-quan"
            slug, n = base, 2
            while Agency.objects.filter(slug=slug).exclude(pk=instance.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            instance.slug = slug

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors.setdefault("slug", None)
        try:
            instance.full_clean(exclude=list(errors.keys()), validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        real = {k: v for k, v in errors.items() if v}
        if real:
            raise ValidationError(real)
