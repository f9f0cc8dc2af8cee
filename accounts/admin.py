from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from privacy.admin import AccessLoggedAdmin
from privacy.constants import AccessKind

from .models import StaffAssignment, User


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(AccessLoggedAdmin, BaseUserAdmin):
    logged_kind = AccessKind.ACCOUNT
    list_display = ["username", "full_name", "kind", "national_id", "phone", "is_staff", "is_active"]
    list_filter = ["kind", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "national_id", "phone", "email"]
    inlines = [StaffAssignmentInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Thông tin cổng dịch vụ công",
            {
                "fields": (
                    "kind",
                    "full_name",
                    "national_id",
                    "date_of_birth",
                    "phone",
                    "address",
                    "tax_code",
                    "organisation_name",
                    "representative_id",
                    "national_sso_id",
                )
            },
        ),
    )
    readonly_fields = ["national_sso_id"]

    def logged_subject(self, obj) -> int | None:
        return obj.pk
