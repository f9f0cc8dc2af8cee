from django.contrib import admin

from .models import Feedback, Rating


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


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["received_at", "title", "kind", "category", "agency", "assignee", "state", "answer_due"]
    list_filter = ["state", "kind", "category"]
    search_fields = ["title", "content", "answer"]
    readonly_fields = [
        "public_id",
        "received_at",
        "accept_due",
        "answer_due",
        "publish_due",
        "accepted_at",
        "refused_at",
        "answered_at",
        "published_at",
        "likes",
        "dislikes",
    ]

    def has_add_permission(self, request):
        return False
