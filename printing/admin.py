from django.contrib import admin

from .models import IssuedForm


@admin.register(IssuedForm)
class IssuedFormAdmin(admin.ModelAdmin):
    """Read-only: forms are issued by the workflow and rendered in the background."""

    list_display = ["dossier", "kind", "state", "created_at", "rendered_at"]
    list_filter = ["kind", "state"]
    search_fields = ["dossier__code"]
    readonly_fields = ["public_id", "dossier", "kind", "change", "state", "file", "error", "created_at", "rendered_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
