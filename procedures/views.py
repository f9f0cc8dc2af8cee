import hashlib
import re

from django.conf import settings
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import uploads

from . import selectors
from .constants import NATIONAL_CODE_PATTERN, ServiceLevel, Tier
from .forms import CatalogSearchForm
from .models import Agency, Field

# Whole public pages (home, catalog search) for visitors with no session: a search is the
# most frequent request of all and its answer only changes with the catalog.
PUBLIC_PAGE_SECONDS = 300


def _whole_public_page(request, build):
    """``build()``'s response, or the same page kept for visitors with no session since the
    catalog last changed (``selectors.catalog_generation``)."""
    if not _anonymous_without_state(request):
        return build()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"public-page:v1:{selectors.catalog_generation()}:{get_language()}:{path}"
    pages = caches["public_pages"]
    html = pages.get(key)
    if html is not None:
        return HttpResponse(html)
    response = build()
    if response.status_code == 200:
        pages.set(key, response.content.decode(), PUBLIC_PAGE_SECONDS)
    return response


def home(request):
    return _whole_public_page(request, lambda: _home(request))


def _home(request):
    fields = list(selectors.fields_with_counts())
    by_size = sorted(fields, key=lambda f: -f.procedure_count)[:12]
    top_fields = sorted(by_size, key=lambda f: f.name)
    other_fields = [f for f in fields if f not in by_size]
    return render(
        request,
        "procedures/home.html",
        {
            "form": CatalogSearchForm(),
            "top_fields": top_fields,
            "other_fields": other_fields,
            "level_counts": selectors.level_counts(),
            "levels": ServiceLevel.choices,
            "tiers": [(Tier.PROVINCE, Tier.PROVINCE.label), (Tier.COMMUNE, Tier.COMMUNE.label)],
        },
    )


def catalog(request):
    return _whole_public_page(request, lambda: _catalog(request))


def _catalog(request):
    form = CatalogSearchForm(request.GET)
    values = form.cleaned_or_empty()
    filters = selectors.CatalogFilters(
        q=values["q"] or "",
        level=values["level"],
        field=values["field"] or "",
        agency=values["agency"] or "",
        tier=values["tier"] or "",
        audience=values["audience"] or "",
    )
    results, fuzzy = selectors.catalog_search(filters)
    page = Paginator(results, settings.CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "fuzzy": fuzzy,
        "querystring": query.urlencode(),
        "field_obj": Field.objects.filter(slug=filters.field).first() if filters.field else None,
        "agency_obj": Agency.objects.filter(slug=filters.agency).first() if filters.agency else None,
        "all_fields": selectors.field_options(),
        "level_choices": ServiceLevel.choices,
    }
    return render(request, "procedures/catalog.html", context)


# Published versions never change, so a procedure page body can be kept; the key
# names the version, the versions beside it, the language and whether it is in force.
# Agency names shown inside may lag an admin's rename by at most this long.
PAGE_CACHE_SECONDS = 600


def procedure_detail(request, code, number=None):
    # A malformed code cannot exist; refuse it before the database sees it
    # (PostgreSQL rejects a NUL byte in a query with an error, not an empty result).
    if not re.match(NATIONAL_CODE_PATTERN, code):
        raise Http404("Không tìm thấy thủ tục.")
    history = selectors.procedure_published_versions(code)
    withdrawal = getattr(history[0].procedure, "withdrawal", None) if history else None
    head = next((h for h in history if (h.is_current if number is None else h.number == number)), None)
    if head is None and number is None:
        # A withdrawn procedure stays public: its page shows the last version in force, marked.
        head = selectors.last_in_force(history, withdrawal)
    if head is None:
        raise Http404("Không tìm thấy thủ tục.")
    upcoming = not head.is_current and head.effective_from > timezone.localdate()
    withdrawn = selectors.withdrawn_on(withdrawal)
    signature = "-".join(f"{h.pk}{'c' if h.is_current else ''}" for h in history)
    if withdrawal:
        signature += f"-w{withdrawal.pk}{'x' if withdrawn else ''}"
    key = f"procedure-page:v1:{head.pk}:{upcoming:d}:{get_language()}:{signature}"
    whole_page = _anonymous_without_state(request)
    page_key = f"{key}:page:{request.get_full_path()}"
    if whole_page:
        html = cache.get(page_key)
        if html is not None:
            return HttpResponse(html)
    body = cache.get(key)
    if body is None:
        version = selectors.procedure_version_for_page(code, number)
        body = render_to_string(
            "procedures/_procedure_body.html",
            {"v": version, "history": history, "upcoming": upcoming, "withdrawal": withdrawal, "withdrawn": withdrawn},
            request=request,
        )
        cache.set(key, body, PAGE_CACHE_SECONDS)
    response = render(request, "procedures/procedure_detail.html", {"v": head, "body": mark_safe(body)})  # nosec B308, B703 # body is render_to_string output of an auto-escaped template
    if whole_page:
        cache.set(page_key, response.content.decode(), PAGE_CACHE_SECONDS)
    return response


def _anonymous_without_state(request) -> bool:
    """A visitor whose page can be shared with every other such visitor: not logged
    in, no session, no pending messages. Their pages carry nothing personal (no form,
    no CSRF token), so the whole page can come from the cache."""
    return (
        not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def agency_list(request):
    agencies = selectors.agencies_for_browse()
    groups = {}
    for agency in agencies:
        groups.setdefault(agency.get_tier_display(), []).append(agency)
    return render(request, "procedures/agency_list.html", {"groups": groups})


def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    procedures = selectors.agency_procedures(agency)
    page = Paginator(procedures, settings.CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procedures/agency_detail.html", {"agency": agency, "page": page})


def form_download(request, pk):
    """Download a form template (mẫu đơn, tờ khai) of a published version."""
    from django.http import FileResponse

    from .constants import VersionStatus
    from .models import RequiredDocument

    doc = get_object_or_404(RequiredDocument.objects.select_related("version"), pk=pk)
    if doc.version.status != VersionStatus.PUBLISHED or not doc.form_file:
        raise Http404("Không tìm thấy biểu mẫu.")
    filename = doc.form_file.name.rsplit("/", 1)[-1]
    try:
        handle = doc.form_file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy biểu mẫu.") from None
    response = FileResponse(handle)
    response["Content-Disposition"] = uploads.content_disposition(filename, inline=False)  # RFC 6266
    return response
