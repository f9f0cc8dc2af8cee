"""The access log in the admin: read-only, for provincial admins; filtered by officer,
by citizen and by dossier. Also the mixin that records admins' own look at people's
data (the users' and dossiers' change pages and searches)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from .constants import AccessChannel, AccessKind
from .models import DraftExpiryWarning, PersonalDataAccess
from .selectors import may_read_access_log
from .services import access_record

QUERY_MAX = 100


class _TextFilter(admin.SimpleListFilter):
    """A free-text filter (a box, not a list of every officer or citizen); text that
    cannot match (too long, wrong characters) finds nothing rather than an error."""

    template = "admin/privacy/text_filter.html"

    def lookups(self, request, model_admin):
        return [("", "")]  # a filter needs choices to be shown; the template ignores them

    def value(self):
        return (super().value() or "").strip()[:QUERY_MAX]

    def choices(self, changelist):
        yield {
            "parameter": self.parameter_name,
            "value": self.value(),
            "query": changelist.get_query_string(remove=[self.parameter_name]),
            "hidden": [
                (k, v)
                for k, values in changelist.get_filters_params().items()
                if k != self.parameter_name
                for v in (values if isinstance(values, list) else [values])
            ],
        }

    @staticmethod
    def _people(text: str):
        """Accounts by 12-digit ID number, tax code, username or exact e-mail."""
        User = get_user_model()
        if not text or any(not (c.isalnum() or c in "@._-+") for c in text):
            return User.objects.none()
        return User.objects.filter(
            Q(username=text) | Q(national_id=text) | Q(tax_code=text) | Q(email__iexact=text)
        ).values("pk")


class OfficerFilter(_TextFilter):
    title = "người xem (tên đăng nhập, số định danh, thư điện tử)"
    parameter_name = "can_bo"

    def queryset(self, request, queryset):
        text = self.value()
        return queryset.filter(officer__in=self._people(text)) if text else queryset


class SubjectFilter(_TextFilter):
    title = "công dân (số định danh, mã số thuế, tên đăng nhập)"
    parameter_name = "cong_dan"

    def queryset(self, request, queryset):
        text = self.value()
        return queryset.filter(subject__in=self._people(text)) if text else queryset


class DossierFilter(_TextFilter):
    title = "mã hồ sơ"
    parameter_name = "ho_so"

    def queryset(self, request, queryset):
        text = self.value().upper()
        if not text:
            return queryset
        if len(text) > 40 or any(not (c.isalnum() or c in ".-") for c in text):
            return queryset.none()
        return queryset.filter(dossier_code=text)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "officer",
        "role_label",
        "agency",
        "kind",
        "channel",
        "dossier_code",
        "subject_id",
        "detail",
        "result_count",
        "ip",
    ]
    list_filter = [OfficerFilter, SubjectFilter, DossierFilter, "kind", "channel"]
    list_select_related = ["officer", "agency"]
    date_hierarchy = "at"
    show_full_result_count = False  # the log grows by the million: no COUNT(*) of it all
    list_per_page = 50

    @admin.display(description="vai trò")
    def role_label(self, obj):
        return obj.role_label

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_module_permission(self, request):
        return may_read_access_log(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_access_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(DraftExpiryWarning)
class DraftExpiryWarningAdmin(admin.ModelAdmin):
    list_display = ["dossier", "warned_at", "delete_after"]
    raw_id_fields = ["dossier"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccessLoggedAdmin(admin.ModelAdmin):
    """Records an admin's look at people's data: a change page (``logged_dossier`` and
    ``logged_subject`` say whose), and a list with a search or filters (the query and the
    rows found; a plain list with no search is not recorded)."""

    def logged_dossier(self, obj):
        return None

    def logged_subject(self, obj) -> int | None:
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original") if request.method == "GET" else None
        if obj is not None and response.status_code == 200:
            access_record(
                request=request,
                kind=self.logged_kind,
                dossier=self.logged_dossier(obj),
                subject_id=self.logged_subject(obj),
                detail=f"{self.model._meta.verbose_name}: {obj}",
                channel=AccessChannel.ADMIN,
            )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if response.status_code == 200 else None
        if changelist is not None and changelist.query:
            access_record(
                request=request,
                kind=AccessKind.SEARCH,
                detail=f"{self.model._meta.verbose_name_plural}: {changelist.query}",
                result_count=changelist.result_count,
                channel=AccessChannel.ADMIN,
            )
        return response
