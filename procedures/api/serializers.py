"""Catalog shapes of the API: input (the search) and output (list rows, the full record)."""

from django.conf import settings
from rest_framework import serializers

from ..constants import SERVICE_LEVEL_BADGE, ServiceLevel, Tier
from ..models import Agency, Field, ProcedureVersion


class CatalogQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=settings.CATALOG_SEARCH_MAX_LENGTH)
    level = serializers.ChoiceField(choices=ServiceLevel.choices, required=False)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    field = serializers.SlugField(required=False, help_text="Mã đường dẫn của lĩnh vực (xem /api/v1/fields/).")
    agency = serializers.SlugField(required=False, help_text="Mã đường dẫn của cơ quan (xem /api/v1/agencies/).")
    audience = serializers.ChoiceField(choices=[("individual", "Cá nhân"), ("organisation", "Tổ chức")], required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=100000)


def tiers_of(version: ProcedureVersion) -> list[str]:
    flags = (
        (Tier.MINISTRY, version.at_ministry),
        (Tier.PROVINCE, version.at_province),
        (Tier.DISTRICT, version.at_district),
        (Tier.COMMUNE, version.at_commune),
    )
    return [str(tier) for tier, on in flags if on]


class ProcedureRow(serializers.Serializer):
    code = serializers.CharField(source="procedure.national_code", help_text="Mã thủ tục quốc gia, ví dụ 1.001193")
    name = serializers.CharField()
    level = serializers.IntegerField(source="max_service_level", help_text="Mức độ dịch vụ công cao nhất (1–4)")
    level_label = serializers.SerializerMethodField()
    tiers = serializers.SerializerMethodField()

    def get_level_label(self, obj) -> str:
        return SERVICE_LEVEL_BADGE.get(obj.max_service_level, "")

    def get_tiers(self, obj) -> list[str]:
        return tiers_of(obj)


class CatalogPage(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    fuzzy = serializers.BooleanField(help_text="Kết quả gần đúng (các từ không khớp hết)")
    results = ProcedureRow(many=True)


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name", "slug"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "slug", "tier", "address", "phone", "email"]


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    required = serializers.BooleanField()
    presented_only = serializers.BooleanField()
    form_name = serializers.CharField()
    form_url = serializers.CharField()


class FeeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="Đồng")
    online_amount = serializers.IntegerField(allow_null=True, help_text="Đồng, khi nộp trực tuyến")
    exemptions = serializers.CharField()


class LegalBasisSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class AgencyRoleSerializer(serializers.Serializer):
    agency = AgencySerializer()
    role = serializers.CharField()
    service_level = serializers.IntegerField(allow_null=True)


class FormFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    choices = serializers.SerializerMethodField()
    max_length = serializers.IntegerField()

    def get_choices(self, obj) -> list[str]:
        return [c.strip() for c in obj.choices.splitlines() if c.strip()]


class ProcedureSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.national_code")
    version = serializers.IntegerField(source="number")
    name = serializers.CharField()
    description = serializers.CharField()
    level = serializers.IntegerField(source="max_service_level")
    tiers = serializers.SerializerMethodField()
    fields = FieldSerializer(many=True)
    steps = serializers.SerializerMethodField()
    channels = serializers.SerializerMethodField()
    time_limit = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    time_limit_unit = serializers.CharField()
    time_limit_note = serializers.CharField()
    applicants = serializers.CharField()
    results = serializers.CharField()
    conditions = serializers.CharField()
    receiving_address = serializers.CharField()
    fee_note = serializers.CharField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    effective_from = serializers.DateField(allow_null=True)
    cases = CaseSerializer(many=True)
    documents = DocumentSerializer(many=True)
    fees = FeeSerializer(many=True)
    legal_bases = LegalBasisSerializer(many=True)
    agencies = AgencyRoleSerializer(many=True, source="agency_roles")
    form_fields = FormFieldSerializer(many=True)

    def get_tiers(self, obj) -> list[str]:
        return tiers_of(obj)

    def get_steps(self, obj) -> list[str]:
        return [s.strip() for s in obj.steps.splitlines() if s.strip()]

    def get_channels(self, obj) -> list[str]:
        flags = (("counter", obj.channel_counter), ("post", obj.channel_post), ("online", obj.channel_online))
        return [name for name, on in flags if on]
