"""Queries over the public catalog.

Search ignores diacritics and đ (both sides are folded with ``portal.text.fold``
into ``search_text``). On PostgreSQL a ``pg_trgm`` GIN index on that column serves
the substring match, and when the words do not all match, trigram word similarity
finds near misses ("giay fep xay dung" → "Cấp giấy phép xây dựng"). SQLite does the
substring match only.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from portal.text import search_terms

from .constants import AgencyRole, ServiceLevel, Tier, VersionStatus
from .models import Agency, Field, Procedure, ProcedureAgency, ProcedureVersion

TIER_FLAGS = {
    Tier.MINISTRY: "at_ministry",
    Tier.PROVINCE: "at_province",
    Tier.DISTRICT: "at_district",
    Tier.COMMUNE: "at_commune",
}

# Word similarity (pg_trgm) above which a near miss counts as a match.
TYPO_SIMILARITY = 0.45


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    level: int | None = None
    field: str = ""  # Field.slug
    agency: str = ""  # Agency.slug
    tier: str = ""  # Tier value
    audience: str = ""  # "individual" | "organisation"


def current_versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(is_current=True)


def catalog_search(filters: CatalogFilters) -> tuple[QuerySet[ProcedureVersion], bool]:
    """The published procedures in force that match ``filters``.

    Returns the queryset and whether it came from the typo-tolerant fallback.
    """
    qs = current_versions().select_related("procedure")
    if filters.level:
        qs = qs.filter(max_service_level=filters.level)
    if filters.tier in TIER_FLAGS:
        qs = qs.filter(**{TIER_FLAGS[filters.tier]: True})
    if filters.field:
        qs = qs.filter(fields__slug=filters.field)
    if filters.agency:
        qs = qs.filter(agency_roles__agency__slug=filters.agency)
    if filters.audience == "individual":
        qs = qs.filter(for_individuals=True)
    elif filters.audience == "organisation":
        qs = qs.filter(for_organisations=True)
    if filters.field or filters.agency:
        qs = qs.distinct()

    terms = search_terms(filters.q, settings.CATALOG_SEARCH_MAX_LENGTH)
    if not terms:
        return qs.order_by("name", "pk"), False

    exact = qs
    for term in terms[:12]:
        exact = exact.filter(search_text__contains=term)
    if connection.vendor != "postgresql" or exact.exists():
        return exact.order_by("name", "pk"), False

    phrase = " ".join(terms[:12])
    fuzzy = qs.annotate(
        similarity=RawSQL("word_similarity(%s, procedures_procedureversion.search_text)", (phrase,))
    ).filter(similarity__gte=TYPO_SIMILARITY)
    return fuzzy.order_by("-similarity", "name", "pk"), True


def procedure_version_for_page(code: str, number: int | None = None) -> ProcedureVersion | None:
    """The version shown on a procedure page, with everything the page lists."""
    qs = ProcedureVersion.objects.select_related("procedure").prefetch_related(
        "fields",
        "cases__documents",
        "documents",
        "fees",
        "legal_bases",
        Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency").order_by("role", "pk")),
    )
    if number is None:
        return qs.filter(procedure__national_code=code, is_current=True).first()
    return qs.filter(procedure__national_code=code, number=number, status=VersionStatus.PUBLISHED).first()


def procedure_published_history(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    return procedure.versions.filter(status=VersionStatus.PUBLISHED).order_by("-effective_from", "-number")


def fields_with_counts() -> QuerySet[Field]:
    return (
        Field.objects.annotate(procedure_count=Count("versions", filter=Q(versions__is_current=True)))
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def level_counts() -> dict[int, int]:
    rows = current_versions().values("max_service_level").annotate(n=Count("pk"))
    counts = dict.fromkeys(ServiceLevel.values, 0)
    for row in rows:
        counts[row["max_service_level"]] = row["n"]
    return counts


def agencies_for_browse() -> QuerySet[Agency]:
    return (
        Agency.objects.filter(effective_to__isnull=True)
        .annotate(
            procedure_count=Count(
                "procedure_roles__version",
                filter=Q(procedure_roles__version__is_current=True),
                distinct=True,
            )
        )
        .order_by("tier", "name")
    )


def agency_procedures(agency: Agency) -> QuerySet[ProcedureVersion]:
    return (
        current_versions()
        .filter(
            agency_roles__agency=agency,
            agency_roles__role__in=[AgencyRole.IMPLEMENTING, AgencyRole.COMPETENT, AgencyRole.DELEGATED],
        )
        .select_related("procedure")
        .distinct()
        .order_by("name", "pk")
    )
