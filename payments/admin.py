"""Finance officers watch the ledger and resolve discrepancies (each resolution audited)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from portal.text import thousands

from . import reconciliation
from .models import AttemptChange, Discrepancy, PaymentAttempt, Receipt


class AttemptChangeInline(admin.TabularInline):
    model = AttemptChange
    fields = ["at", "from_state", "to_state", "source", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Hoàn toàn bộ số tiền qua cổng thanh toán")
def refund_selected(modeladmin, request, queryset):
    from . import services

    for attempt in queryset:
        try:
            services.refund_full(attempt=attempt, officer=request.user, reason="Hoàn tiền theo quyết định của kế toán")
        except services.RefundRefused as exc:
            modeladmin.message_user(request, f"{attempt.txn_ref}: {exc}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{attempt.txn_ref}: đã hoàn {thousands(attempt.amount)} đồng.")


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    actions = [refund_selected]
    list_display = ["txn_ref", "dossier", "amount", "method", "state", "created_at", "succeeded_at"]
    list_filter = ["state", "method"]
    search_fields = ["txn_ref", "dossier__code", "gateway_transaction_no"]
    date_hierarchy = "created_at"
    inlines = [AttemptChangeInline]
    readonly_fields = [f.name for f in PaymentAttempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DiscrepancyForm(forms.ModelForm):
    class Meta:
        model = Discrepancy
        fields = ["resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 3})}


@admin.register(Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    form = DiscrepancyForm
    list_display = ["found_at", "kind", "txn_ref", "attempt", "resolved_at", "resolved_by"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["txn_ref"]
    readonly_fields = ["kind", "attempt", "txn_ref", "detail", "found_at", "resolved_at", "resolved_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            reconciliation.discrepancy_resolve(
                discrepancy=Discrepancy.objects.get(pk=obj.pk), officer=request.user, resolution=obj.resolution
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["number", "attempt", "created_at"]
    search_fields = ["number", "attempt__txn_ref"]
    readonly_fields = ["number", "attempt", "file", "created_at"]

    def has_add_permission(self, request):
        return False
