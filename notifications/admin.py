"""Admins edit and preview the templates, and watch the outbox (failed ones first)."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from . import rendering, services
from .constants import State
from .models import ChannelPreference, Notification, NotificationTemplate


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["event", "channel", "subject", "body", "active"]

    def clean(self):
        cleaned = super().clean()
        for field, message in rendering.check_template(cleaned.get("subject", ""), cleaned.get("body", "")).items():
            self.add_error(field, message)
        return cleaned


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["event", "channel", "subject", "active", "updated_at"]
    list_filter = ["channel", "active", "event"]
    search_fields = ["subject", "body"]
    readonly_fields = ["preview", "names"]
    fieldsets = [
        (None, {"fields": ["event", "channel", "active", "subject", "body"]}),
        ("Xem trước với dữ liệu mẫu", {"fields": ["preview", "names"]}),
    ]

    @admin.display(description="Xem trước")
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "Lưu mẫu để xem trước."
        shown = rendering.render(obj.event, obj.channel, rendering.SAMPLE, template=obj)
        warning = format_html('<p class="errornote">{}</p>', shown.warning) if shown.warning else ""
        return format_html(
            '{}<p><strong>{}</strong></p><pre style="white-space:pre-wrap">{}</pre>', warning, shown.subject, shown.body
        )

    @admin.display(description="Dữ liệu dùng được trong mẫu")
    def names(self, obj):
        return ", ".join("{{ " + key + " }}" for key in rendering.SAMPLE)


@admin.action(description="Gửi lại các thông báo lỗi đã chọn")
def retry_failed(modeladmin, request, queryset):
    count = sum(services.notification_retry(notification=n) for n in queryset.filter(state=State.FAILED))
    modeladmin.message_user(request, f"Đã đưa {count} thông báo vào hàng gửi lại.", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "to_address", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["dossier__code", "to_address", "recipient__full_name", "recipient__national_id"]
    date_hierarchy = "created_at"
    actions = [retry_failed]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "officer_email", "updated_at"]
    list_filter = ["officer_email"]
    search_fields = ["user__full_name", "user__national_id", "user__email"]
    readonly_fields = ["user", "email", "sms", "officer_email", "updated_at"]

    def has_add_permission(self, request):
        return False
