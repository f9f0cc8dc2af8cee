"""Keys are created with ``manage.py api_client_create`` (the key is shown once); the admin
lists them, narrows their scopes and rate, and revokes them."""

from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "active", "expires_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "user", "created_at", "last_used_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request, queryset):
        queryset.update(active=False)
