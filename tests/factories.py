"""factory_boy factories shared by every test."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.constants import AccountKind, StaffRole
from accounts.models import StaffAssignment, User
from procedures import services
from procedures.constants import AgencyRole, FeeKind, Tier, TimeUnit
from procedures.models import Agency, Fee, Field, Procedure, ProcedureAgency, ProcedureVersion, RequiredDocument


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    kind = AccountKind.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "Matkhau@2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    kind = AccountKind.OFFICER
    is_staff = True
    is_superuser = True


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.H{(n // 100) % 100:02d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"so-thu-nghiem-{n}")
    tier = Tier.PROVINCE


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    user = factory.SubFactory(UserFactory, kind=AccountKind.OFFICER)
    agency = factory.SubFactory(AgencyFactory)
    role = StaffRole.ONE_STOP_OFFICER


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field

    code = factory.Sequence(lambda n: f"LV{n:04d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    national_code = factory.Sequence(lambda n: f"1.{n + 100000:06d}")


class DraftVersionFactory(factory.django.DjangoModelFactory):
    """A complete draft: steps, a document, a fee, an implementing agency."""

    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    number = factory.LazyAttribute(lambda o: services.version_next_number(o.procedure))
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    service_level = 2
    at_province = True
    steps = "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả."
    time_limit = Decimal("5")
    time_limit_unit = TimeUnit.WORKING_DAYS
    applicants = "Công dân Việt Nam"
    channel_counter = True

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        if not create:
            return
        agency = kwargs.get("agency") or AgencyFactory()
        ProcedureAgency.objects.create(version=obj, agency=agency, role=AgencyRole.IMPLEMENTING)
        RequiredDocument.objects.create(version=obj, name="Tờ khai theo mẫu", originals=1)
        if kwargs.get("fee", True):
            Fee.objects.create(version=obj, kind=FeeKind.LEVY, name="Lệ phí", amount=kwargs.get("amount", 50000))
        for field in kwargs.get("fields", []):
            obj.fields.add(field)


def published_version(effective_from: datetime.date | None = None, **kwargs) -> ProcedureVersion:
    """A draft made by DraftVersionFactory(**kwargs), published and in force."""
    draft = DraftVersionFactory(**kwargs)
    return services.version_publish(version=draft, effective_from=effective_from or timezone.localdate())


class CitizenFactory(UserFactory):
    """A citizen with a valid 12-digit ID number (Thanh Hóa, man born 1987)."""

    username = factory.Sequence(lambda n: f"0380870{n:05d}")
    national_id = factory.LazyAttribute(lambda o: o.username)
    date_of_birth = datetime.date(1987, 5, 2)
    phone = factory.Sequence(lambda n: f"09120{n:05d}")
    kind = AccountKind.CITIZEN


def online_version(*, cases: int = 0, level: int = 3, fees: list | None = None, **kwargs) -> ProcedureVersion:
    """A published level-3/4 procedure with a form field and two required documents
    (one optional), filed online at one agency; ``fees``: (kind, code, name, amount,
    online amount) lines instead of the factory's one lệ phí."""
    draft = online_draft(cases=cases, level=level, fees=fees, **kwargs)
    return services.version_publish(version=draft, effective_from=timezone.localdate())


def online_draft(*, cases: int = 0, level: int = 3, fees: list | None = None, **kwargs) -> ProcedureVersion:
    """The draft ``online_version`` publishes: complete, ready for the admin's "Công bố"."""
    from procedures.models import Case, Fee, FormField

    draft = DraftVersionFactory(service_level=level, channel_online=True, **kwargs)
    if fees is not None:
        Fee.objects.filter(version=draft).delete()
        for kind, code, name, amount, online_amount in fees:
            Fee.objects.create(
                version=draft, kind=kind, code=code, name=name, amount=amount, online_amount=online_amount
            )
    RequiredDocument.objects.filter(version=draft).delete()
    FormField.objects.create(version=draft, key="noi_dung", label="Nội dung đề nghị", kind="textarea", required=True)
    if cases:
        for n in range(cases):
            case = Case.objects.create(version=draft, name=f"Trường hợp {n + 1}", order=n)
            RequiredDocument.objects.create(version=draft, case=case, name=f"Giấy tờ riêng trường hợp {n + 1}")
    RequiredDocument.objects.create(version=draft, name="Tờ khai theo mẫu", originals=1, order=1)
    RequiredDocument.objects.create(version=draft, name="Giấy tờ khác (nếu có)", required=False, order=2)
    return draft
