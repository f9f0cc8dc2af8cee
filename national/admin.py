"""Sync with the national portal, for provincial admins: each dossier's state (how many
pushes, how many went out, the last error) and each push (one per history row), with
"send again now"; and what the sandbox received."""

from django.contrib import admin

from . import services
from .models import CatalogPull, Push, SandboxReceipt, SyncState


@admin.register(SyncState)
class SyncStateAdmin(admin.ModelAdmin):
    list_display = ["dossier", "sent_seq", "last_seq", "in_sync", "first_sent_at", "last_error", "updated_at"]
    search_fields = ["dossier__code"]
    readonly_fields = ["dossier", "last_seq", "sent_seq", "first_sent_at", "last_error", "updated_at"]
    actions = ["retry_now"]

    @admin.display(boolean=True, description="đã đồng bộ đủ")
    def in_sync(self, obj):
        return obj.in_sync

    @admin.action(description="Gửi lại ngay các gói tin chưa gửi được")
    def retry_now(self, request, queryset):
        n = services.push_retry_now(dossier_ids=list(queryset.values_list("dossier_id", flat=True)))
        self.message_user(request, f"Đã đưa {n} gói tin vào hàng gửi lại.")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Push)
class PushAdmin(admin.ModelAdmin):
    list_display = ["dossier", "seq", "kind", "change", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state", "kind"]
    search_fields = ["dossier__code"]
    readonly_fields = [f.name for f in Push._meta.fields]
    actions = ["retry_now"]

    @admin.action(description="Gửi lại ngay")
    def retry_now(self, request, queryset):
        n = services.push_retry_now(dossier_ids=sorted(set(queryset.values_list("dossier_id", flat=True))))
        self.message_user(request, f"Đã đưa {n} gói tin vào hàng gửi lại.")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SandboxReceipt)
class SandboxReceiptAdmin(admin.ModelAdmin):
    list_display = ["received_at", "code", "kind", "status"]
    search_fields = ["code"]
    readonly_fields = ["received_at", "code", "kind", "status", "payload"]

    def has_add_permission(self, request):
        return False


@admin.register(CatalogPull)
class CatalogPullAdmin(admin.ModelAdmin):
    """What each pull of the national package changed, to review before publishing."""

    list_display = ["started_at", "ok", "changed", "unchanged", "error_short", "reviewed_at"]
    list_filter = ["ok"]
    readonly_fields = [
        "started_at",
        "source",
        "ok",
        "drafts",
        "unchanged",
        "warnings",
        "error",
        "reviewed_by",
        "reviewed_at",
    ]
    exclude = ["created_codes", "updated_codes"]
    actions = ["mark_reviewed"]

    @admin.display(description="số thủ tục thay đổi")
    def changed(self, obj):
        return obj.changed

    @admin.display(description="lỗi")
    def error_short(self, obj):
        return obj.error[:120]

    @admin.display(description="bản nháp cần xem xét")
    def drafts(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html_join

        from procedures.constants import VersionStatus
        from procedures.models import ProcedureVersion

        codes = [*obj.created_codes, *obj.updated_codes]
        versions = ProcedureVersion.objects.filter(
            procedure__national_code__in=codes, status=VersionStatus.DRAFT
        ).select_related("procedure")
        return (
            format_html_join(
                "",
                '<p><a href="{}">{} – {}</a> ({})</p>',
                (
                    (
                        reverse("admin:procedures_procedureversion_change", args=[v.pk]),
                        v.procedure.national_code,
                        v.name,
                        "mới" if v.procedure.national_code in obj.created_codes else "thay đổi",
                    )
                    for v in versions
                ),
            )
            or "Không có"
        )

    @admin.action(description="Đánh dấu đã xem")
    def mark_reviewed(self, request, queryset):
        from django.utils import timezone

        queryset.update(reviewed_by=request.user, reviewed_at=timezone.now())

    def has_add_permission(self, request):
        return False
