"""Dossiers in the admin: read-only. Status changes go through the workflow only."""

from django.contrib import admin

from privacy.admin import AccessLoggedAdmin
from privacy.constants import AccessKind

from .models import (
    Apology,
    CalendarDay,
    Dossier,
    Handover,
    PostalIntake,
    Result,
    StatusChange,
    StoredFile,
    SupplementRequest,
    Transfer,
)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "action", "actor", "note", "step_deadline"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.StackedInline):
    """A record written by the state machine: shown, never edited here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SupplementInline(ReadOnlyInline):
    model = SupplementRequest


class TransferInline(ReadOnlyInline):
    model = Transfer
    fk_name = "dossier"


class ResultInline(ReadOnlyInline):
    model = Result


class HandoverInline(ReadOnlyInline):
    model = Handover


class ApologyInline(ReadOnlyInline):
    model = Apology


class PostalIntakeInline(ReadOnlyInline):
    model = PostalIntake


@admin.register(Dossier)
class DossierAdmin(AccessLoggedAdmin):
    logged_kind = AccessKind.DOSSIER
    list_display = ["code", "procedure_version", "agency", "status", "channel", "submitted_at"]
    list_filter = ["status", "channel", "agency"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    list_select_related = ["procedure_version", "agency"]
    inlines = [
        StatusChangeInline,
        SupplementInline,
        TransferInline,
        ApologyInline,
        ResultInline,
        HandoverInline,
        PostalIntakeInline,
    ]
    date_hierarchy = "submitted_at"

    def logged_dossier(self, obj):
        return obj

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoredFile)
class StoredFileAdmin(AccessLoggedAdmin):
    logged_kind = AccessKind.FILE
    list_display = ["title", "owner", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "owner__username"]
    exclude = ["file"]

    def logged_subject(self, obj) -> int | None:
        return obj.owner_id

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "file"]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days used by every deadline (dossiers.deadlines)."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
