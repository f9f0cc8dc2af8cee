"""Catalog administration: agencies, fields, procedures and their versions.

Published versions are shown read-only; editing happens on a draft, opened with
"Tạo bản nháp mới", and reaches citizens only through "Công bố".
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from . import services
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
    national_code_validator,
)
from .resources import AgencyResource, ProcedureVersionResource


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


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogImportExportAdmin):
    resource_classes = [ProcedureVersionResource]
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
        return format_html('<a class="button" href="{}">Tạo bản nháp mới từ phiên bản này</a>', url)

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
        ]
        return extra + super().get_urls()

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
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.message_dict.items():
                        for err in errs:
                            form.add_error(field if field in form.fields else None, err)
                else:
                    for err in exc.messages:
                        form.add_error(None, err)
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
    list_display = ["national_code", "__str__", "created_at"]
    search_fields = ["national_code", "versions__name"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the procedure's public address and its link to the national
        # database: fixed once the procedure exists.
        return ["national_code"] if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False
