from django.contrib import admin

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["created_at", "dossier", "overall", "source", "recorded_by"]
    list_filter = ["overall", "source"]
    search_fields = ["dossier__code", "comment"]
    readonly_fields = ["dossier", "source", "overall", "criteria", "comment", "rated_by", "recorded_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
