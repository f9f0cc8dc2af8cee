"""Officer shapes of the API: queues, a queue's page, the officer's view of a dossier and
the input of an action."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.constants import Status


class QueueOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="Không đếm cho hàng “tất cả”")


class QueueQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Mã hồ sơ, số giấy tờ, họ tên"
    )
    procedure = serializers.IntegerField(required=False, min_value=1)
    channel = serializers.ChoiceField(choices=[1, 2, 3], required=False)
    status = serializers.IntegerField(required=False, min_value=1, max_value=10)
    date_from = serializers.DateField(required=False, help_text="Nộp từ ngày (YYYY-MM-DD)")
    date_to = serializers.DateField(required=False, help_text="Nộp đến ngày (YYYY-MM-DD)")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10000)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": "“Đến ngày” phải sau “Từ ngày”."})
        return attrs


class QueueRow(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.SerializerMethodField()
    step = serializers.CharField()
    channel = serializers.IntegerField()
    applicant_name = serializers.CharField()
    procedure = serializers.CharField(source="procedure_version.name")
    agency = serializers.CharField(source="agency.name")
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    step_due_at = serializers.DateTimeField(allow_null=True)
    department = serializers.CharField()
    handler = serializers.SerializerMethodField()

    def get_status_label(self, obj) -> str:
        return Status(obj.status).label

    def get_handler(self, obj) -> str:
        return (obj.handler.full_name or obj.handler.username) if obj.handler_id else ""


class QueuePage(serializers.Serializer):
    queue = serializers.CharField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = QueueRow(many=True)


class HistoryRow(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.IntegerField(allow_null=True)
    to_status = serializers.IntegerField()
    step = serializers.CharField(source="to_step")
    actor = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_actor(self, obj) -> str:
        return (obj.actor.full_name or obj.actor.username) if obj.actor_id else ""


class ActionOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    note_required = serializers.BooleanField()
    inputs = serializers.SerializerMethodField()
    held_reason = serializers.SerializerMethodField(
        help_text="Vì sao thao tác chưa thực hiện được lúc này (ví dụ phí, lệ phí chưa nộp); rỗng nếu được"
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_inputs(self, obj):
        return [i.name for i in obj.inputs]

    def get_held_reason(self, obj) -> str:
        dossier = self.context.get("dossier")
        return obj.held_reason(dossier) if dossier is not None else ""


class OfficerDossier(QueueRow):
    id = serializers.UUIDField(source="public_id")
    applicant_id_number = serializers.CharField()
    applicant_phone = serializers.CharField()
    applicant_email = serializers.CharField()
    applicant_address = serializers.CharField()
    answers = serializers.DictField(source="form_data", child=serializers.CharField(allow_blank=True))
    received_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    history = HistoryRow(many=True)
    actions = serializers.SerializerMethodField()

    @extend_schema_field(ActionOut(many=True))
    def get_actions(self, obj):
        return ActionOut(self.context.get("actions", []), many=True, context={"dossier": obj}).data


class ActionIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    data = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        required=False,
        help_text="Các trường của thao tác (xem actions[].inputs của hồ sơ), ví dụ department, handler, items",
    )
    file = serializers.FileField(required=False, help_text="Văn bản kết quả (PDF), cho record_result")
