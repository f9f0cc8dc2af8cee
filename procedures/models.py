"""The catalog: agencies, fields and versioned administrative procedures (TTHC).

A ``Procedure`` is the stable identity (national code ``d.dddddd``); everything a
citizen reads lives on a ``ProcedureVersion``. Admins edit a draft and publish it
with an effective date; a published version never changes again (enforced here, in
the services and in the admin). Each dossier keeps the version it was filed under.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.text import fold, slugify_vi

from .constants import (
    AGENCY_CODE_PATTERN,
    NATIONAL_CODE_PATTERN,
    AgencyRole,
    ApprovalChain,
    FeeCollection,
    FeeKind,
    ServiceLevel,
    Tier,
    TimeUnit,
    VersionStatus,
)

national_code_validator = RegexValidator(
    NATIONAL_CODE_PATTERN,
    "Mã thủ tục phải có dạng d.dddddd, ví dụ 1.001193.",
)
agency_code_validator = RegexValidator(
    AGENCY_CODE_PATTERN,
    "Mã định danh cơ quan phải có dạng 000.00.06.H56.",
)

PUBLISHED_IMMUTABLE_MESSAGE = "Phiên bản đã công bố không được sửa; hãy tạo bản nháp mới."


class Agency(models.Model):
    """A state agency (cơ quan, đơn vị) in the province's tree.

    Identified by its electronic identifier code (mã định danh điện tử, QCVN format,
    e.g. ``000.00.06.H56``). Mergers are recorded with ``effective_to`` and a
    ``successor`` link rather than by deleting the agency.
    """

    code = models.CharField("mã định danh", max_length=20, unique=True, validators=[agency_code_validator])
    name = models.CharField("tên cơ quan", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)
    tier = models.CharField("cấp", max_length=20, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="cơ quan cấp trên",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=50, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    effective_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    effective_to = models.DateField("hết hiệu lực từ ngày", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name="cơ quan kế thừa",
    )
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["tier", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="agency_effective_range",
                violation_error_message="Ngày hết hiệu lực phải sau ngày hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": "Cơ quan không thể kế thừa chính nó."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "Cơ quan không thể là cấp trên của chính nó."})

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("procedures:agency_detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.effective_to is None or self.effective_to > timezone.localdate()


class Field(models.Model):
    """A field of state management (lĩnh vực), e.g. Hộ tịch, Xây dựng."""

    code = models.CharField("mã lĩnh vực", max_length=30, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """The stable identity of an administrative procedure (thủ tục hành chính)."""

    national_code = models.CharField("mã thủ tục", max_length=10, unique=True, validators=[national_code_validator])
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["national_code"]

    def __str__(self) -> str:
        current = self.versions.filter(is_current=True).only("name").first()
        return f"{self.national_code} – {current.name}" if current else self.national_code

    def get_absolute_url(self) -> str:
        return reverse("procedures:procedure_detail", kwargs={"code": self.national_code})


class ProcedureVersion(models.Model):
    """One version of a procedure's record, mirroring the national database.

    Drafts are editable; published versions are immutable. ``is_current`` marks the
    published version in force today (the latest ``effective_from`` not in the
    future) and is maintained only by ``services.procedure_refresh_current``.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name="thủ tục")
    number = models.PositiveIntegerField("phiên bản số")
    status = models.CharField("trạng thái", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField("ngày hiệu lực", null=True, blank=True)
    published_at = models.DateTimeField("thời điểm công bố", null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người công bố",
    )
    is_current = models.BooleanField("đang áp dụng", default=False, editable=False)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="dựa trên phiên bản"
    )

    name = models.CharField("tên thủ tục", max_length=500)
    description = models.TextField("mô tả", blank=True)
    keywords = models.CharField("từ khóa", max_length=500, blank=True)
    service_level = models.PositiveSmallIntegerField(
        "mức độ dịch vụ công", choices=ServiceLevel.choices, default=ServiceLevel.FORMS
    )
    max_service_level = models.PositiveSmallIntegerField(
        "mức độ cao nhất", choices=ServiceLevel.choices, default=ServiceLevel.FORMS, editable=False
    )
    at_ministry = models.BooleanField("cấp bộ, ngành", default=False)
    at_province = models.BooleanField("cấp tỉnh", default=False)
    at_district = models.BooleanField("cấp huyện (lịch sử)", default=False)
    at_commune = models.BooleanField("cấp xã", default=False)
    fields = models.ManyToManyField(Field, related_name="versions", blank=True, verbose_name="lĩnh vực")

    steps = models.TextField("trình tự thực hiện", blank=True, help_text="Mỗi bước một dòng.")
    channel_counter = models.BooleanField("nộp trực tiếp", default=True)
    channel_post = models.BooleanField("nộp qua bưu chính công ích", default=False)
    channel_online = models.BooleanField("nộp trực tuyến", default=False)
    time_limit = models.DecimalField(
        "thời hạn giải quyết",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    time_limit_unit = models.CharField(
        "đơn vị thời hạn", max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    time_limit_note = models.TextField("ghi chú thời hạn", blank=True)
    applicants = models.TextField("đối tượng thực hiện", blank=True)
    for_individuals = models.BooleanField("dành cho cá nhân", default=True)
    for_organisations = models.BooleanField("dành cho tổ chức, doanh nghiệp", default=False)
    results = models.TextField("kết quả thực hiện", blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    receiving_address = models.TextField("địa chỉ tiếp nhận", blank=True)
    fee_note = models.TextField("ghi chú phí, lệ phí", blank=True)
    fee_collection = models.CharField(
        "hình thức thu phí, lệ phí",
        max_length=10,
        choices=FeeCollection.choices,
        default=FeeCollection.BEFORE,
        help_text="Thu trước: nộp khi nộp hồ sơ; thu sau: cơ quan yêu cầu nộp trong khi giải quyết.",
    )
    approval_chain = models.CharField(
        "trình ký kết quả",
        max_length=12,
        choices=ApprovalChain.choices,
        default=ApprovalChain.DEPARTMENT,
        help_text="Ai ký duyệt kết quả sau khi chuyên viên trình: lãnh đạo phòng, lãnh đạo cơ quan, hoặc cả hai.",
    )
    decision_number = models.CharField("quyết định công bố", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định công bố", null=True, blank=True)
    raw_national_record = models.JSONField("gói tin CSDL quốc gia", null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=1200, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__national_code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="draft"),
                name="one_draft_per_procedure",
                violation_error_message="Thủ tục này đã có một bản nháp.",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(is_current=True),
                name="one_current_version_per_procedure",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="published_has_effective_date",
            ),
        ]
        indexes = [
            models.Index(fields=["is_current", "max_service_level"], name="version_current_level"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.national_code} – {self.name} (phiên bản {self.number})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def online_filing(self) -> bool:
        return self.max_service_level >= ServiceLevel.PARTIAL

    @property
    def tiers(self) -> list[str]:
        pairs = [
            (self.at_ministry, Tier.MINISTRY),
            (self.at_province, Tier.PROVINCE),
            (self.at_district, Tier.DISTRICT),
            (self.at_commune, Tier.COMMUNE),
        ]
        return [tier.label for flag, tier in pairs if flag]

    @property
    def channels(self) -> list[str]:
        """The ways to file this procedure, as shown on its page."""
        pairs = [
            (self.channel_counter, _("Trực tiếp")),
            (self.channel_post, _("Dịch vụ bưu chính công ích")),
            (self.channel_online, _("Trực tuyến")),
        ]
        return [label for flag, label in pairs if flag]

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    def time_limit_display(self) -> str:
        if self.time_limit is None:
            return self.time_limit_note or "Không quy định"
        amount = self.time_limit.normalize()
        amount_text = f"{amount:f}".replace(".", ",")
        return f"{amount_text} {self.get_time_limit_unit_display()}"

    def clean(self) -> None:
        self._refuse_change_if_published()

    def _refuse_change_if_published(self) -> None:
        if not self.pk:
            return
        stored = ProcedureVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored == VersionStatus.PUBLISHED:
            raise ValidationError(PUBLISHED_IMMUTABLE_MESSAGE)

    def save(self, *args, **kwargs):
        self._refuse_change_if_published()
        self.search_text = fold(f"{self.name} {self.procedure.national_code} {self.keywords}")[:1200]
        if self.max_service_level < self.service_level:
            self.max_service_level = self.service_level
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_change_if_published()
        return super().delete(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.is_current:
            return self.procedure.get_absolute_url()
        return reverse(
            "procedures:procedure_version",
            kwargs={"code": self.procedure.national_code, "number": self.number},
        )


class VersionPart(models.Model):
    """Base for the rows that make up a version: immutable once it is published."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, verbose_name="phiên bản")

    class Meta:
        abstract = True

    def _refuse_change_if_published(self) -> None:
        if not self.version_id:
            return
        status = ProcedureVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status == VersionStatus.PUBLISHED:
            raise ValidationError(PUBLISHED_IMMUTABLE_MESSAGE)

    def clean(self) -> None:
        self._refuse_change_if_published()

    def save(self, *args, **kwargs):
        self._refuse_change_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_change_if_published()
        return super().delete(*args, **kwargs)


class ProcedureAgency(VersionPart):
    """An agency's part in a procedure, with the service level it offers."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="procedure_roles", verbose_name="cơ quan")
    role = models.CharField("vai trò", max_length=20, choices=AgencyRole.choices, default=AgencyRole.IMPLEMENTING)
    service_level = models.PositiveSmallIntegerField(
        "mức độ tại cơ quan",
        choices=ServiceLevel.choices,
        null=True,
        blank=True,
        help_text="Để trống nếu bằng mức độ chung của thủ tục.",
    )

    class Meta:
        verbose_name = "cơ quan thực hiện"
        verbose_name_plural = "cơ quan thực hiện"
        default_related_name = "agency_roles"
        constraints = [
            models.UniqueConstraint(fields=["version", "agency", "role"], name="unique_version_agency_role"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()})"

    @property
    def effective_level(self) -> int:
        return self.service_level or self.version.service_level


class Case(VersionPart):
    """A case (trường hợp) of a procedure, with its own list of documents."""

    code = models.CharField("mã trường hợp", max_length=50, blank=True)
    name = models.CharField("tên trường hợp", max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "trường hợp"
        verbose_name_plural = "trường hợp"
        default_related_name = "cases"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


def form_upload_path(instance: "RequiredDocument", filename: str) -> str:
    """A fresh folder per upload, and in it the name reduced to a slug (letters, digits,
    dashes) and its extension, so citizens download "to-khai-mau-01.docx" and nothing an
    admin typed can reach the path (no ``..``, separators or control characters)."""
    name = uploads.display_name(filename)
    ext = uploads.extension(name)
    ext = ext if re.fullmatch(r"\.[a-z0-9]{1,5}", ext) else ""
    stem = slugify_vi(name[: len(name) - len(ext)])[:80].strip("-") or "mau-don"
    version = instance.version
    return f"catalog/forms/{version.procedure.national_code}/v{version.number}/{uuid.uuid4().hex[:12]}/{stem}{ext}"


class RequiredDocument(VersionPart):
    """A document in the dossier (thành phần hồ sơ), for one case or for all."""

    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name="trường hợp",
        help_text="Để trống nếu áp dụng cho mọi trường hợp.",
    )
    code = models.CharField("mã giấy tờ", max_length=50, blank=True)
    name = models.CharField("tên giấy tờ", max_length=1000)
    originals = models.PositiveSmallIntegerField("số bản chính", default=1, validators=[MaxValueValidator(50)])
    copies = models.PositiveSmallIntegerField("số bản sao", default=0, validators=[MaxValueValidator(50)])
    required = models.BooleanField("bắt buộc", default=True)
    presented_only = models.BooleanField("chỉ xuất trình", default=False)
    replaceable_by_lookup = models.BooleanField("thay thế bằng tra cứu cơ sở dữ liệu", default=False)
    replacing_result_code = models.CharField("mã kết quả thay thế", max_length=50, blank=True)
    form_name = models.CharField("tên mẫu đơn, tờ khai", max_length=255, blank=True)
    form_file = models.FileField("tệp mẫu đơn", upload_to=form_upload_path, blank=True, max_length=300)
    form_url = models.URLField("đường dẫn mẫu đơn", blank=True, max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        default_related_name = "documents"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.case_id and self.version_id and self.case.version_id != self.version_id:
            raise ValidationError({"case": "Trường hợp không thuộc phiên bản này."})
        if self.form_file and not self.form_file._committed:  # a new upload: the one upload check
            try:
                uploads.inspect(self.form_file.file, uploads.CATALOG_FORM)
            except ValidationError as exc:
                raise ValidationError({"form_file": exc.messages}) from None
            finally:
                self.form_file.file.seek(0)
        elif self.form_file and self.form_file.size > _form_max_bytes():
            raise ValidationError({"form_file": "Tệp mẫu đơn quá lớn."})


def _form_max_bytes() -> int:
    from django.conf import settings

    return settings.CATALOG_FORM_MAX_BYTES


class Fee(VersionPart):
    """A fee line: phí or lệ phí, in whole VND."""

    kind = models.CharField("loại", max_length=10, choices=FeeKind.choices)
    code = models.CharField("mã phí, lệ phí", max_length=50, blank=True)
    name = models.CharField("nội dung", max_length=500)
    amount = models.PositiveBigIntegerField(
        "số tiền (đồng)", validators=[MaxValueValidator(10_000_000_000)], help_text="Số nguyên, đơn vị đồng."
    )
    online_amount = models.PositiveBigIntegerField(
        "số tiền khi nộp trực tuyến (đồng)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000_000)],
        help_text="Để trống nếu như khi nộp trực tiếp; ví dụ mức đã giảm khi thực hiện dịch vụ công trực tuyến.",
    )
    description = models.TextField("mô tả", blank=True)
    exemptions = models.TextField("đối tượng miễn, giảm", blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        default_related_name = "fees"
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class LegalBasis(VersionPart):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    number = models.CharField("số ký hiệu", max_length=100)
    title = models.CharField("trích yếu", max_length=1000)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    effective_on = models.DateField("ngày hiệu lực", null=True, blank=True)
    url = models.URLField("đường dẫn", blank=True, max_length=500)

    class Meta:
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"
        default_related_name = "legal_bases"
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class FormField(VersionPart):
    """A field of the procedure's electronic form (tờ khai điện tử), defined as data.

    The applicant block (name, ID number, phone, e-mail, address) is always asked;
    these are the procedure's own questions, editable by admins on a draft.
    """

    class Kind(models.TextChoices):
        TEXT = "text", "Một dòng chữ"
        TEXTAREA = "textarea", "Đoạn văn"
        DATE = "date", "Ngày"
        NUMBER = "number", "Số"
        CHOICE = "choice", "Chọn một"
        CHECKBOX = "checkbox", "Đánh dấu"

    key = models.SlugField("mã trường", max_length=50, help_text="Chữ thường không dấu, ví dụ ho_ten_tre.")
    label = models.CharField("nhãn", max_length=255)
    kind = models.CharField("kiểu", max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField("bắt buộc", default=True)
    help_text = models.CharField("hướng dẫn", max_length=500, blank=True)
    choices = models.TextField("các lựa chọn", blank=True, help_text="Mỗi lựa chọn một dòng (cho kiểu “Chọn một”).")
    max_length = models.PositiveSmallIntegerField("độ dài tối đa", default=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "trường tờ khai"
        verbose_name_plural = "trường tờ khai"
        default_related_name = "form_fields"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_form_field_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Withdrawal(models.Model):
    """A procedure withdrawn (bãi bỏ, ngừng thực hiện) from a date by a decision.

    From ``effective_on`` the procedure takes no new dossier and no version of it is in
    force (``services.procedure_refresh_current``); dossiers already filed go on under their
    version, and the procedure's page and history stay public, marked as withdrawn. Who
    recorded it and when is kept; one per procedure (DECISIONS §38).
    """

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, related_name="withdrawal", verbose_name="thủ tục"
    )
    effective_on = models.DateField("ngừng thực hiện từ ngày")
    decision_number = models.CharField("số quyết định", max_length=100)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    reason = models.TextField("lý do", max_length=2000)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người ghi nhận"
    )
    recorded_at = models.DateTimeField("thời điểm ghi nhận", auto_now_add=True)

    class Meta:
        verbose_name = "quyết định bãi bỏ thủ tục"
        verbose_name_plural = "quyết định bãi bỏ thủ tục"

    def __str__(self) -> str:
        return f"{self.procedure.national_code}: ngừng thực hiện từ {self.effective_on:%d/%m/%Y}"
