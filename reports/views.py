"""Report pages (thin: figures from ``reports.selectors``, indices from ``reports.indices``).

Internal: the 766 KPI page with its drill-down, the published tables, the per-procedure
table and funnel, and the exports (xlsx, PDF) of the same figures. Public: the
transparency pages per agency. Bad filter values are answered at the field, with the
values kept, and no figures."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers

from portal.text import thousands
from procedures.constants import Tier
from procedures.models import Agency

from . import exports, indices, periods, selectors
from .access import report_agencies
from .filters import Filters, parse_filters
from .periods import Period

FIGURE_LABELS = {
    "carried": "Kỳ trước chuyển sang",
    "received": "Tiếp nhận trong kỳ",
    "received_online": "Tiếp nhận trực tuyến",
    "received_post": "Tiếp nhận qua bưu chính",
    "ended": "Đã giải quyết, kết thúc trong kỳ",
    "ended_early": "Giải quyết trước hạn",
    "ended_on_time": "Giải quyết đúng hạn",
    "ended_late": "Giải quyết quá hạn",
    "ended_withdrawn": "Công dân rút hồ sơ",
    "ended_stopped": "Dừng xử lý",
    "ended_supplement": "Chờ bổ sung (chưa bổ sung)",
    "ended_complained": "Có phản ánh hoặc đánh giá không hài lòng",
    "ended_complained_late": "Quá hạn và có phản ánh hoặc đánh giá không hài lòng",
    "open_end": "Đang giải quyết cuối kỳ",
    "open_late": "Đang giải quyết, đã quá hạn",
    "fee_due": "Hồ sơ có phí, lệ phí",
    "paid_online": "Thanh toán trực tuyến",
    "digitised": "Hồ sơ được số hóa",
    "reused": "Sử dụng lại dữ liệu số hóa",
    "synced": "Đồng bộ lên Cổng DVCQG",
    "submitted": "Nộp trong kỳ",
    "submitted_online": "Nộp trực tuyến trong kỳ",
    "ended_resolved": "Đã có kết quả",
    "resolved_e_result": "Có kết quả điện tử",
    "late_open_start": "Trở thành quá hạn",
    "late_open_stop": "Hết quá hạn (đã kết thúc)",
    "handled": "Đã kết thúc trong kỳ hoặc đang giải quyết cuối kỳ",
    "handled_late": "Đã kết thúc quá hạn hoặc đang quá hạn cuối kỳ",
    "handled_on_time": "Trước hạn, đúng hạn: đã kết thúc hoặc đang giải quyết trong hạn cuối kỳ",
    "satisfied": "Hài lòng (766 5.4): trước hạn, đúng hạn, không có phản ánh hay đánh giá không hài lòng",
    "ratings": "Lượt đánh giá",
    "ratings_satisfied": "Đánh giá hài lòng trở lên",
    "ratings_dissatisfied": "Đánh giá không hài lòng",
}


def _filters(request, allowed: list[int] | None) -> Filters:
    return parse_filters(request.GET, allowed)


def _allowed(request) -> list[int] | None:
    allowed = report_agencies(request.user)
    if allowed == []:
        raise PermissionDenied("Trang báo cáo dành cho lãnh đạo, quản trị đơn vị và quản trị cấp tỉnh.")
    return allowed


def _agency_choices(allowed: list[int] | None):
    qs = Agency.objects.order_by("tier", "name").only("id", "name", "tier")
    return qs if allowed is None else qs.filter(pk__in=allowed)


def _base_context(request, filters: Filters, allowed) -> dict:
    return {
        "filters": filters,
        "period_choices": periods.choices(),
        "tier_choices": Tier.choices,
        "agency_choices": _agency_choices(allowed),
        "labels": FIGURE_LABELS,
        "processing_names": [name for name, _ in exports.PROCESSING_COLUMNS],
    }


@login_required
def kpi(request):
    """Bộ chỉ số 766: the total and the six indices with points, each indicator with its
    numerator and denominator, per tier and per agency, and the processing table."""
    allowed = _allowed(request)
    filters = _filters(request, allowed)
    context = _base_context(request, filters, allowed)
    if filters.errors:
        return render(request, "reports/kpi.html", context, status=400)
    board = selectors.board(filters.period, filters.agency_ids)
    names = context["processing_names"]
    drill = reverse("reports:drill")
    ky = filters.values["ky"]

    def cells(figures: dict, **scope) -> list[tuple[str, str]]:
        base = f"{drill}?{urlencode({'ky': ky, **scope})}&so_lieu="
        return [(thousands(figures.get(name, 0)), base + name) for name in names]

    board["cells"] = cells(board["figures"], cap=filters.tier, co_quan=filters.values["co_quan"])
    for tier in board["tiers"]:
        tier["cells"] = cells(tier["figures"], cap=tier["tier"])
    for row in board["rows"]:
        row["cells"] = cells(row["figures"], co_quan=row["agency"].pk)
    context["board"] = board
    return render(request, "reports/kpi.html", context)


PAGE_SIZE = 50


@login_required
def drill(request):
    """The dossiers behind one figure (keyset pages: no count of millions of rows per page)."""
    allowed = _allowed(request)
    filters = _filters(request, allowed)
    name = request.GET.get("so_lieu", "")
    if name not in selectors.DRILLABLE:
        filters.errors["so_lieu"] = "Không có số liệu này."
    context = _base_context(request, filters, allowed) | {"figure": name, "figure_label": FIGURE_LABELS.get(name)}
    if filters.errors:
        return render(request, "reports/drill.html", context, status=400)
    facts = selectors.facts_behind(name, filters.period, filters.agency_ids)
    try:
        after = int(request.GET.get("sau") or 0)
    except ValueError:
        after = 0
    page = facts.order_by("-dossier_id")
    if after:
        page = page.filter(dossier_id__lt=after)
    rows = list(page.select_related("dossier", "agency", "dossier__procedure_version")[: PAGE_SIZE + 1])
    context |= {
        "total": facts.count(),
        "rows": rows[:PAGE_SIZE],
        "next_after": rows[PAGE_SIZE - 1].dossier_id if len(rows) > PAGE_SIZE else None,
    }
    return render(request, "reports/drill.html", context)


@login_required
def tables(request):
    """The tables provinces publish about their online services."""
    allowed = _allowed(request)
    filters = _filters(request, allowed)
    context = _base_context(request, filters, allowed)
    if filters.errors:
        return render(request, "reports/tables.html", context, status=400)
    context["board"] = selectors.board(filters.period, filters.agency_ids)
    context["levels"] = selectors.levels_by_tier()
    return render(request, "reports/tables.html", context)


@login_required
def procedures(request):
    """Per procedure: received, average processing time and the online funnel."""
    allowed = _allowed(request)
    filters = _filters(request, allowed)
    context = _base_context(request, filters, allowed)
    order = request.GET.get("sap_xep", "")
    if filters.errors:
        return render(request, "reports/procedures.html", context, status=400)
    rows = selectors.procedure_rows(filters.period, filters.agency_ids)
    if order == "bo-do":
        rows.sort(key=lambda r: (-(r["abandon_rate"] or 0), -r["started_online"]))
    context |= {"rows": rows[:500], "order": order}
    return render(request, "reports/procedures.html", context)


@login_required
def export(request, fmt: str):
    """The KPI page's figures as an Excel workbook or a PDF."""
    allowed = _allowed(request)
    filters = _filters(request, allowed)
    if filters.errors:
        context = _base_context(request, filters, allowed)
        return render(request, "reports/kpi.html", context, status=400)
    board = selectors.board(filters.period, filters.agency_ids)
    procedures_rows = selectors.procedure_rows(filters.period, filters.agency_ids)
    name = f"bao-cao-766-{filters.period.code}"
    if fmt == "xlsx":
        body = exports.xlsx(board, procedures_rows, scope=filters.scope)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        body = exports.pdf(board, procedures_rows, scope=filters.scope, request=request)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- public transparency (minh bạch) -----------------------------------------------------


def _public_figures(agency_ids: list[int] | None, period: Period) -> dict:
    figures = indices.add(*selectors.rolled_up(period, agency_ids).values())
    evaluation = indices.evaluate(figures)
    ratings = figures.get("ratings", 0)
    return {
        "figures": figures,
        "on_time": evaluation.score("2.1"),
        "online": evaluation.score("3.3"),
        "satisfaction": round(100 * figures.get("ratings_satisfied", 0) / ratings, 2) if ratings else None,
    }


@cache_page(300)
@vary_on_headers("Accept-Language")
def transparency(request):
    """Every agency's on-time rate, online rate and satisfaction this year, for anyone."""
    period = Period("year", timezone.localdate().year)
    figures = selectors.rolled_up(period)
    rows = []
    for agency in Agency.objects.order_by("tier", "name").only("id", "name", "slug", "tier"):
        f = figures.get(agency.pk)
        if not f:
            continue
        evaluation = indices.evaluate(f)
        rows.append({"agency": agency, "on_time": evaluation.score("2.1"), "online": evaluation.score("3.3"), "f": f})
    return render(request, "reports/transparency.html", {"rows": rows, "period": period})


@cache_page(300)
@vary_on_headers("Accept-Language")
def transparency_agency(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    today = timezone.localdate()
    year = Period("year", today.year)
    month = Period("month", today.year, today.month)
    months = []
    first = today.replace(day=1)
    for _ in range(12):
        months.insert(0, first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    series = selectors.monthly_series([agency.pk], months)
    top = max([s["received"] for s in series] + [1])
    for i, s in enumerate(series):  # an SVG column chart: no script, no outside library
        s["h"] = round(95 * s["received"] / top, 1)
        s["oh"] = round(95 * s["received_online"] / top, 1)
        s["x"], s["tx"] = 2 + 20 * i, 5 + 20 * i
        s["y"], s["oy"] = round(98 - s["h"], 1), round(98 - s["oh"], 1)
    return render(
        request,
        "reports/transparency_agency.html",
        {
            "agency": agency,
            "year": _public_figures([agency.pk], year) | {"period": year},
            "month": _public_figures([agency.pk], month) | {"period": month},
            "series": series,
        },
    )
