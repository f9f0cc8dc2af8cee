"""Catalog administration: agencies, fields, procedures and their versions.

Published versions are shown read-only; editing happens on a draft, opened with
"Tạo bản nháp mới", and reaches citizens only through "Công bố". The catalog goes out
to Excel and comes back into drafts ("Xuất Excel", "Nhập từ Excel": ``resources``); a
published procedure is withdrawn ("Bãi bỏ thủ tục") from a date.
"""

import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from portal.errors import add_to_form

from . import resources, services
from .constants import VersionStatus
from .models import (
    Agency,
    Case,
    Fee,
    Field,
    FormField,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
    Withdrawal,
    national_code_validator,
)
from .resources import AgencyResource


class CatalogImportExportAdmin(ImportExportModelAdmin):
    """django-import-export with the messages it gives in English put in Vietnamese."""

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            f"Không đọc được tệp ({type(e).__name__}). Hãy kiểm tra tệp và chọn đúng định dạng (xlsx, csv…).",
        )

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # The dry run's temporary file is gone: confirmed twice, or expired.
            messages.error(request, "Tệp tạm của lần nhập này không còn (đã nhập hoặc đã hết hạn). Hãy nhập lại tệp.")
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["national_code"]
        error_messages = {
            "national_code": {"required": "Hãy nhập mã thủ tục. Mã thủ tục phải có dạng d.dddddd, ví dụ 1.001193."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked on the form too, so that the format is explained alongside any other error.
        if "national_code" in self.fields:
            self.fields["national_code"].validators.append(national_code_validator)


@admin.register(Agency)
class AgencyAdmin(CatalogImportExportAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "code", "tier", "parent", "effective_to"]
    list_filter = ["tier"]
    search_fields = ["name", "code", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "successor"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyWhenPublished:
    """Inline behaviour: no add, change or delete on a published version."""

    def _editable(self, obj) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class AgencyRoleInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = ProcedureAgency
    extra = 0
    autocomplete_fields = ["agency"]


class CaseInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Case
    extra = 0


class DocumentInline(ReadOnlyWhenPublished, admin.StackedInline):
    model = RequiredDocument
    extra = 0
    fields = [
        ("name", "case"),
        ("originals", "copies", "required", "presented_only"),
        ("form_name", "form_file", "form_url"),
        ("replaceable_by_lookup", "replacing_result_code", "code", "order"),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        case_field = formset.form.base_fields.get("case")
        if case_field is not None:
            case_field.queryset = Case.objects.filter(version=obj) if obj else Case.objects.none()
        return formset


class FeeInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = Fee
    extra = 0
    fields = ["kind", "name", "amount", "online_amount", "exemptions"]


class LegalBasisInline(ReadOnlyWhenPublished, admin.TabularInline):
    model = LegalBasis
    extra = 0
    fields = ["number", "title", "issuer", "issued_on", "effective_on"]


class FormFieldInline(ReadOnlyWhenPublished, admin.TabularInline):
    """The procedure's own questions on the online form (tờ khai điện tử)."""

    model = FormField
    extra = 0
    fields = ["order", "key", "label", "kind", "required", "choices", "help_text", "max_length"]


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label="Ngày hiệu lực",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Hãy nhập ngày hiệu lực.", "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."},
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CatalogImportForm(forms.Form):
    import_file = forms.FileField(
        label="Tệp Excel danh mục (.xlsx)",
        error_messages={"required": "Hãy chọn tệp Excel xuất từ trang này (nút “Xuất Excel”).", "empty": "Tệp rỗng."},
    )


class CatalogConfirmForm(forms.Form):
    """Which uploaded file, and the preview the admin saw (``ImportPlan.fingerprint``)."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    original_file_name = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    effective_on = forms.DateField(
        label="Ngừng thực hiện từ ngày",
        widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        error_messages={"required": "Hãy nhập ngày ngừng thực hiện.", "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."},
    )
    decision_number = forms.CharField(
        label="Số quyết định bãi bỏ",
        max_length=100,
        error_messages={
            "required": "Hãy nhập số quyết định bãi bỏ, ví dụ 1234/QĐ-UBND.",
            "max_length": "Số quyết định dài quá 100 ký tự.",
        },
    )
    decision_date = forms.DateField(
        label="Ngày quyết định",
        required=False,
        widget=DATE_INPUT,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Ngày không hợp lệ (dd/mm/yyyy)."},
    )
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Hãy nhập lý do bãi bỏ (ví dụ văn bản quy phạm pháp luật đã thay thế).",
            "max_length": "Lý do dài quá 2.000 ký tự.",
        },
    )


IMPORT_FILE_HOURS = 24


def _import_dir() -> Path:
    """Where an uploaded catalog waits between its preview and the confirmation (a private
    folder of this machine's temporary files); files older than a day are removed."""
    folder = Path(tempfile.gettempdir()) / "portal-catalog-import"
    folder.mkdir(mode=0o700, exist_ok=True)
    too_old = time.time() - IMPORT_FILE_HOURS * 3600
    for stale in folder.glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < too_old:
                stale.unlink()
        except FileNotFoundError:  # removed by another request meanwhile
            pass
    return folder


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    change_list_template = "admin/procedures/procedureversion/change_list.html"
    list_display = ["name", "code", "number", "status", "max_service_level", "effective_from", "is_current"]
    list_filter = ["status", "is_current", "max_service_level", "fields"]
    search_fields = ["name", "procedure__national_code", "search_text"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    filter_horizontal = ["fields"]
    inlines = [AgencyRoleInline, CaseInline, DocumentInline, FeeInline, LegalBasisInline, FormFieldInline]
    actions = ["open_drafts"]
    readonly_fields = ["status", "is_current", "effective_from", "published_at", "published_by", "publish_button"]
    fieldsets = [
        (None, {"fields": ["procedure", "name", "status", "is_current", "effective_from", "publish_button"]}),
        (
            "Mức độ và cấp thực hiện",
            {"fields": ["service_level", ("at_province", "at_commune", "at_district", "at_ministry")]},
        ),
        (
            "Cách thức, thời hạn",
            {
                "fields": [
                    ("channel_counter", "channel_post", "channel_online"),
                    ("time_limit", "time_limit_unit"),
                    "time_limit_note",
                ]
            },
        ),
        (
            "Nội dung",
            {
                "fields": [
                    "fields",
                    "description",
                    "keywords",
                    "steps",
                    "applicants",
                    ("for_individuals", "for_organisations"),
                    "results",
                    "conditions",
                    "receiving_address",
                    "fee_note",
                    "fee_collection",
                    "approval_chain",
                ]
            },
        ),
        ("Quyết định công bố", {"fields": [("decision_number", "decision_date"), "published_at", "published_by"]}),
    ]

    @admin.display(description="Mã thủ tục", ordering="procedure__national_code")
    def code(self, obj):
        return obj.procedure.national_code

    @admin.display(description="Công bố")
    def publish_button(self, obj):
        if obj is None or not obj.pk:
            return "—"
        if obj.status == VersionStatus.DRAFT:
            url = reverse("admin:procedures_procedureversion_publish", args=[obj.pk])
            return format_html('<a class="button" href="{}">Công bố phiên bản này</a>', url)
        url = reverse("admin:procedures_procedureversion_new_draft", args=[obj.pk])
        withdraw = reverse("admin:procedures_procedure_withdraw", args=[obj.procedure_id])
        return format_html(
            '<a class="button" href="{}">Tạo bản nháp mới từ phiên bản này</a> '
            '<a class="button" href="{}">Bãi bỏ thủ tục</a>',
            url,
            withdraw,
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == VersionStatus.PUBLISHED:
            editable = [f.name for f in self.model._meta.fields] + ["fields"]
            return list(dict.fromkeys(editable + list(self.readonly_fields)))
        if obj is not None:
            return [*self.readonly_fields, "procedure"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == VersionStatus.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = services.version_next_number(obj.procedure)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/cong-bo/",
                self.admin_site.admin_view(self.publish_view),
                name="procedures_procedureversion_publish",
            ),
            path(
                "<int:pk>/tao-ban-nhap/",
                self.admin_site.admin_view(self.new_draft_view),
                name="procedures_procedureversion_new_draft",
            ),
            path("export/", self.admin_site.admin_view(self.export_view), name="procedures_procedureversion_export"),
            path("import/", self.admin_site.admin_view(self.import_view), name="procedures_procedureversion_import"),
            path(
                "process_import/",
                self.admin_site.admin_view(self.process_import_view),
                name="procedures_procedureversion_process_import",
            ),
        ]
        return extra + super().get_urls()

    # --- the catalog workbook -----------------------------------------------------------

    def export_view(self, request):
        """The catalog in force as an Excel workbook (``resources.catalog_workbook``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            resources.catalog_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"danh-muc-thu-tuc-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def _import_page(self, request, *, form, plan=None, confirm=None, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": "Nhập danh mục thủ tục từ Excel",
            "form": form,
            "plan": plan,
            "confirm_form": confirm,
            "opts": self.model._meta,
        }
        return render(request, "admin/procedures/catalog_import.html", context, status=status)

    def import_view(self, request):
        """Upload → a preview of every change, procedure by procedure, field by field
        (only reads); the file waits in a private temporary folder for the confirmation."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = CatalogImportForm(request.POST, request.FILES) if request.method == "POST" else CatalogImportForm()
        if request.method != "POST" or not form.is_valid():
            return self._import_page(request, form=form)
        upload = form.cleaned_data["import_file"]
        if upload.size > resources.XLSX_MAX_BYTES:
            form.add_error("import_file", "Tệp lớn quá 20 MB; danh mục xuất từ trang quản trị nhỏ hơn nhiều.")
            return self._import_page(request, form=form)
        content = upload.read()
        try:
            plan = resources.plan_catalog_import(content)
        except resources.CatalogFileError as exc:
            form.add_error("import_file", str(exc))
            return self._import_page(request, form=form)
        confirm = None
        if not plan.errors and plan.changes:
            token = secrets.token_hex(16)
            (_import_dir() / f"{token}.xlsx").write_bytes(content)
            confirm = CatalogConfirmForm(
                initial={"token": token, "fingerprint": plan.fingerprint(), "original_file_name": upload.name[:255]}
            )
        return self._import_page(request, form=form, plan=plan, confirm=confirm)

    def process_import_view(self, request):
        """Apply exactly what the preview showed: the file is read and compared again, and if
        anything differs from the preview (the catalog changed meanwhile) the new preview is
        shown instead of writing."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:procedures_procedureversion_import")
        confirm = CatalogConfirmForm(request.POST)
        path_ = _import_dir() / f"{confirm.cleaned_data['token']}.xlsx" if confirm.is_valid() else None
        if path_ is None or not path_.is_file():
            messages.error(request, "Tệp tạm của lần nhập này không còn (đã nhập hoặc đã hết hạn). Hãy nhập lại tệp.")
            return redirect("admin:procedures_procedureversion_import")
        content = path_.read_bytes()
        try:
            plan = resources.plan_catalog_import(content)
        except resources.CatalogFileError as exc:
            messages.error(request, str(exc))
            return redirect("admin:procedures_procedureversion_import")
        if plan.errors or plan.fingerprint() != confirm.cleaned_data["fingerprint"]:
            messages.warning(
                request,
                "Danh mục đã thay đổi từ lúc xem trước: hãy xem lại các thay đổi dưới đây rồi xác nhận lần nữa.",
            )
            again = None
            if not plan.errors and plan.changes:
                again = CatalogConfirmForm(initial={**confirm.cleaned_data, "fingerprint": plan.fingerprint()})
            return self._import_page(request, form=CatalogImportForm(), plan=plan, confirm=again)
        drafts = services.catalog_import_apply(changes=plan.changes, user=request.user)
        path_.unlink(missing_ok=True)
        for draft, change in zip(drafts, plan.changes, strict=True):
            self.log_change(request, draft, "Nhập từ Excel: " + ", ".join(field.label for field in change.fields))
        messages.success(
            request,
            f"Đã nhập: {len(drafts)} thủ tục có thay đổi, ghi vào bản nháp (chưa công bố); "
            f"{plan.unchanged} thủ tục không đổi.",
        )
        return redirect(reverse("admin:procedures_procedureversion_changelist") + "?status__exact=draft")

    def publish_view(self, request, pk):
        version = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=pk)
        if not self.has_change_permission(request, version):
            messages.error(request, "Bạn không có quyền công bố thủ tục.")
            return redirect("admin:procedures_procedureversion_changelist")
        if version.status != VersionStatus.DRAFT:
            messages.error(request, "Phiên bản này đã được công bố.")
            return redirect("admin:procedures_procedureversion_change", pk)
        form = PublishForm(request.POST or None, initial={"effective_from": timezone.localdate()})
        missing = services.version_missing_parts(version)
        if request.method == "POST" and form.is_valid():
            try:
                services.version_publish(
                    version=version, effective_from=form.cleaned_data["effective_from"], user=request.user
                )
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã công bố phiên bản {version.number} của thủ tục {version.procedure.national_code}, "
                    f"hiệu lực từ {form.cleaned_data['effective_from']:%d/%m/%Y}.",
                )
                return redirect("admin:procedures_procedureversion_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Công bố phiên bản thủ tục",
            "version": version,
            "form": form,
            "missing": missing,
            "opts": self.model._meta,
        }
        return render(request, "admin/procedures/publish.html", context)

    def new_draft_view(self, request, pk):
        version = get_object_or_404(ProcedureVersion, pk=pk)
        if not self.has_change_permission(request):
            messages.error(request, "Bạn không có quyền sửa thủ tục.")
            return redirect("admin:procedures_procedureversion_changelist")
        draft = services.version_create_draft(procedure=version.procedure, source=version)
        messages.success(request, f"Bản nháp phiên bản {draft.number} đã sẵn sàng để sửa.")
        return redirect("admin:procedures_procedureversion_change", draft.pk)

    @admin.action(description="Tạo bản nháp mới cho các thủ tục đã chọn")
    def open_drafts(self, request, queryset):
        count = 0
        for version in queryset.select_related("procedure"):
            services.version_create_draft(procedure=version.procedure, source=version)
            count += 1
        messages.success(request, f"Đã mở bản nháp cho {count} thủ tục.")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = ["national_code", "__str__", "created_at", "withdrawn"]
    search_fields = ["national_code", "versions__name"]
    list_select_related = ["withdrawal"]

    @admin.display(description="Bãi bỏ")
    def withdrawn(self, obj):
        withdrawal = getattr(obj, "withdrawal", None)
        return f"từ {withdrawal.effective_on:%d/%m/%Y}" if withdrawal else "—"

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/bai-bo/",
                self.admin_site.admin_view(self.withdraw_view),
                name="procedures_procedure_withdraw",
            ),
        ]
        return extra + super().get_urls()

    def withdraw_view(self, request, pk):
        """Withdraw a published procedure (bãi bỏ) from a date: ``services.procedure_withdraw``."""
        procedure = get_object_or_404(Procedure, pk=pk)
        form = WithdrawForm(request.POST) if request.method == "POST" else WithdrawForm()
        existing = Withdrawal.objects.filter(procedure=procedure).first()
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                withdrawal = services.procedure_withdraw(
                    procedure=procedure,
                    effective_on=data["effective_on"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    reason=data["reason"],
                    user=request.user,
                )
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(
                    request,
                    f"Đã ghi nhận bãi bỏ thủ tục {procedure.national_code}: ngừng tiếp nhận hồ sơ mới từ ngày "
                    f"{withdrawal.effective_on:%d/%m/%Y}.",
                )
                return redirect("admin:procedures_procedure_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Bãi bỏ thủ tục hành chính",
            "procedure": procedure,
            "current": procedure.versions.filter(is_current=True).first(),
            "existing": existing,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/procedures/withdraw.html", context)

    def get_readonly_fields(self, request, obj=None):
        # The code is the procedure's public address and its link to the national
        # database: fixed once the procedure exists.
        return ["national_code"] if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    """Withdrawals are recorded through "Bãi bỏ thủ tục" and kept as they were recorded."""

    list_display = ["procedure", "effective_on", "decision_number", "recorded_by", "recorded_at"]
    search_fields = ["procedure__national_code", "decision_number"]
    readonly_fields = [
        "procedure",
        "effective_on",
        "decision_number",
        "decision_date",
        "reason",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
