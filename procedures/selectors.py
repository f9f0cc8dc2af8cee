"""Queries over the public catalog.

Search ignores diacritics and đ (both sides are folded with ``portal.text.fold``
into ``search_text``). On PostgreSQL a ``pg_trgm`` GIN index on that column serves
the substring match, and when the words do not all match, trigram word similarity
finds near misses ("giay fep xay dung" → "Cấp giấy phép xây dựng"). SQLite does the
substring match only.
"""

import datetime
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from portal.text import search_terms

from .constants import NATIONAL_CODE_PATTERN, AgencyRole, ServiceLevel, Tier, VersionStatus
from .models import Agency, Field, ProcedureAgency, ProcedureVersion, Withdrawal

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


# Columns a result list needs: never the long texts or the raw national record.
LIST_COLUMNS = (
    "pk",
    "name",
    "max_service_level",
    "at_ministry",
    "at_province",
    "at_district",
    "at_commune",
    "procedure__national_code",
)
FUZZY_LIMIT = 200
FUZZY_CANDIDATES = 2000


def catalog_search(filters: CatalogFilters) -> tuple[QuerySet[ProcedureVersion] | Sequence[ProcedureVersion], bool]:
    """The published procedures in force that match ``filters``.

    Returns the results (a queryset, or a list ranked by similarity when the words
    did not all match) and whether the typo-tolerant fallback produced them.
    """
    qs = current_versions().select_related("procedure").only(*LIST_COLUMNS)
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
    return _near_misses(qs, terms[:12]), True


def _near_misses(qs: QuerySet[ProcedureVersion], terms: list[str]) -> "RankedVersions":
    """Versions whose name is close to the query (pg_trgm word similarity), best first.

    Word similarity costs ~25 µs a row, so it is computed only for candidates that
    contain every word of the query but one exactly (a cheap LIKE per word): a small
    typo is one mistyped word ("giay fep xay dung", "dang ki khai sinh").
    """
    need = max(1, len(terms) - 1)
    hits = sum((Case(When(search_text__contains=t, then=1), default=0) for t in terms), Value(0))
    phrase = " ".join(terms)
    # One query: the similarity sits in the SELECT list, so PostgreSQL computes it only
    # for the rows the cheap LIKE count lets through.
    ranked = (
        qs.select_related(None)
        .annotate(hits=hits)
        .filter(hits__gte=need)
        .annotate(similarity=RawSQL("word_similarity(%s, procedures_procedureversion.search_text)", (phrase,)))
        .order_by("-similarity", "name", "pk")
        .values_list("pk", "similarity")[:FUZZY_CANDIDATES]
    )
    # The threshold is applied here so that the similarity is computed once a row.
    return RankedVersions([pk for pk, similarity in ranked if similarity >= TYPO_SIMILARITY][:FUZZY_LIMIT])


class RankedVersions(Sequence):
    """Versions in a given order, loaded only for the slice a page shows."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = ProcedureVersion.objects.select_related("procedure").only(*LIST_COLUMNS).in_bulk(wanted)
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1][0]


CATALOG_GENERATION_KEY = "catalog:generation"


def catalog_generation() -> int:
    """A number renewed whenever what the public catalog shows may have changed
    (``services.catalog_changed``); part of the key of every cached whole public page."""
    value = cache.get(CATALOG_GENERATION_KEY)
    if value is None:
        cache.add(CATALOG_GENERATION_KEY, time.time_ns(), None)
        value = cache.get(CATALOG_GENERATION_KEY, 0)
    return value


def field_options() -> list[tuple[str, str]]:
    """(slug, name) of every field for the catalog's filter, cached for a few minutes."""
    return cache.get_or_set(
        "catalog:field-options", lambda: list(Field.objects.order_by("name").values_list("slug", "name")), 300
    )


def procedure_version_for_page(code: str, number: int | None = None) -> ProcedureVersion | None:
    """The version shown on a procedure page, with everything the page lists: without a
    number, the version in force, or for a withdrawn procedure the last one that was."""
    qs = ProcedureVersion.objects.select_related("procedure").prefetch_related(
        "fields",
        "cases__documents",
        "documents",
        "fees",
        "legal_bases",
        Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency").order_by("role", "pk")),
    )
    if number is None:
        current = qs.filter(procedure__national_code=code, is_current=True).first()
        if current is not None:
            return current
        last = last_in_force(procedure_published_versions(code), withdrawal_of(code))
        return qs.filter(pk=last.pk).first() if last else None
    return qs.filter(procedure__national_code=code, number=number, status=VersionStatus.PUBLISHED).first()


def withdrawal_of(code: str) -> Withdrawal | None:
    """The procedure's withdrawal (bãi bỏ), in effect or scheduled, if it has one."""
    return Withdrawal.objects.filter(procedure__national_code=code).first()


def withdrawn_on(withdrawal: Withdrawal | None, on: datetime.date | None = None) -> bool:
    """Whether the withdrawal is in effect on ``on`` (today by default)."""
    return withdrawal is not None and withdrawal.effective_on <= (on or timezone.localdate())


def last_in_force(history: list[ProcedureVersion], withdrawal: Withdrawal | None) -> ProcedureVersion | None:
    """Of a withdrawn procedure's published versions (newest first), the last one in force
    before the withdrawal took effect: what its page keeps showing."""
    if not withdrawn_on(withdrawal):
        return None
    return next((h for h in history if h.effective_from < withdrawal.effective_on), None)


def withdrawal_refusal(version: ProcedureVersion, *, on: datetime.date | None = None) -> str | None:
    """The refusal of any new dossier of a procedure withdrawn by ``on`` (today by default),
    online or at the counter; None when it is not withdrawn then."""
    withdrawal = Withdrawal.objects.filter(procedure_id=version.procedure_id).first()
    if not withdrawn_on(withdrawal, on):
        return None
    return (
        f"Thủ tục này đã bị bãi bỏ, ngừng thực hiện từ ngày {withdrawal.effective_on:%d/%m/%Y} "
        f"(quyết định {withdrawal.decision_number}): không tiếp nhận hồ sơ mới. "
        "Hồ sơ đã nộp trước ngày đó vẫn được giải quyết."
    )


def filing_refusal(version: ProcedureVersion, *, on: datetime.date | None = None) -> str | None:
    """Why no new dossier can be filed online under ``version`` on ``on`` (today by default),
    in Vietnamese; None when it can. The one rule the filing page and the API apply (through
    ``dossiers.services.dossier_start``): a withdrawn procedure takes nothing new from its
    effective date, even before the daily switch has run; otherwise the version must be in
    force and offered online (level 3 or 4)."""
    refusal = withdrawal_refusal(version, on=on)
    if refusal:
        return refusal
    if not version.is_current or version.max_service_level < ServiceLevel.PARTIAL:
        return "Thủ tục này chưa nộp trực tuyến được."
    return None


def version_to_file(code: str) -> tuple[ProcedureVersion | None, str | None]:
    """The version a new dossier of procedure ``code`` is filed under, or why there is none
    (a withdrawn procedure says so and since when, whether or not the daily switch has run)."""
    version = (
        ProcedureVersion.objects.select_related("procedure")
        .filter(procedure__national_code=code, is_current=True)
        .first()
    )
    if version is not None:
        return version, None
    last = (
        ProcedureVersion.objects.filter(procedure__national_code=code, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    return None, (filing_refusal(last) if last is not None else None) or "Không tìm thấy thủ tục."


def is_fileable(version: ProcedureVersion, *, on: datetime.date | None = None) -> bool:
    """Whether a new dossier can be filed online under ``version`` on ``on``."""
    return filing_refusal(version, on=on) is None


def procedure_published_versions(code: str) -> list[ProcedureVersion]:
    """A procedure's published versions, newest first, with just what a page head and
    the version history need, and the procedure's withdrawal if any (one query)."""
    return list(
        ProcedureVersion.objects.filter(procedure__national_code=code, status=VersionStatus.PUBLISHED)
        .select_related("procedure__withdrawal")
        .only(
            "procedure__withdrawal__effective_on",
            "procedure__withdrawal__decision_number",
            "procedure__withdrawal__decision_date",
            "pk",
            "number",
            "name",
            "effective_from",
            "is_current",
            "status",
            "max_service_level",
            "procedure__national_code",
        )
        .order_by("-effective_from", "-number")
    )


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


def procedure_record(code: str) -> ProcedureVersion | None:
    """The version in force of a procedure with every part of its record (the API's
    procedure resource): the page's prefetches and the e-form fields."""
    if not re.match(NATIONAL_CODE_PATTERN, code):
        return None
    return (
        ProcedureVersion.objects.select_related("procedure")
        .prefetch_related(
            "fields",
            "cases",
            "documents",
            "fees",
            "legal_bases",
            "form_fields",
            Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency").order_by("role", "pk")),
        )
        .filter(procedure__national_code=code, is_current=True)
        .first()
    )
