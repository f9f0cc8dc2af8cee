"""Recording officers' access to citizens' personal data (ND 13/2023/NĐ-CP, Điều 27:
the controller keeps a log of the processing of personal data).

``access_record`` is the only writer of ``PersonalDataAccess``: every page, file, API
operation, export and admin page that shows an officer a citizen's data calls it once,
and it runs one INSERT (no other query when the caller passes the officer's assignments,
as the officers' pages do). A person looking at their own data is not recorded.
"""

import ipaddress
from collections.abc import Iterable, Sequence

from accounts.models import StaffAssignment
from dossiers.models import Dossier

from .constants import STAFF_ROLE, SUPERUSER_ROLE, AccessChannel
from .models import PersonalDataAccess

DETAIL_MAX = PersonalDataAccess._meta.get_field("detail").max_length
PATH_MAX = PersonalDataAccess._meta.get_field("path").max_length
REQUEST_ID_MAX = PersonalDataAccess._meta.get_field("request_id").max_length


def client_ip(request) -> str | None:
    """The client's address by the portal's one rule (``portal.client_ip``: behind
    ``TRUSTED_PROXY_COUNT`` proxies, the citizen's, not the proxy's), or None when it is
    not an address."""
    from portal.client_ip import client_ip as address

    raw = address(request)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def request_id(request) -> str:
    """The request's id when one is given: set by a middleware as ``request.request_id``,
    or by the reverse proxy as ``X-Request-ID`` (nginx: ``proxy_set_header X-Request-ID
    $request_id``)."""
    value = getattr(request, "request_id", None) or request.META.get("HTTP_X_REQUEST_ID", "")
    return "".join(c for c in str(value) if c.isprintable())[:REQUEST_ID_MAX]


def _seat(user, agencies: list[int], assignments: Iterable[Sequence] | None) -> tuple[int | None, str]:
    """(agency, role) the person saw the data in: their assignment at the first of
    ``agencies`` they serve (the dossier's agency, then the one it is transferred to),
    else their first one. ``assignments`` are the user's active assignments as rows
    starting with (agency id, role); None reads them (one query)."""
    if assignments is None:
        assignments = (
            StaffAssignment.objects.filter(user=user, active=True).order_by("pk").values_list("agency_id", "role")
        )
    rows = [(row[0], row[1]) for row in assignments]
    for agency_id in agencies:
        for row_agency, role in rows:
            if row_agency == agency_id:
                return row_agency, role
    if rows:
        return rows[0]
    if user.is_superuser:
        return None, SUPERUSER_ROLE
    return None, STAFF_ROLE if user.is_staff else ""


def access_record(
    *,
    request,
    kind: str,
    dossier: Dossier | None = None,
    subject_id: int | None = None,
    assignments: Iterable[Sequence] | None = None,
    detail: str = "",
    result_count: int | None = None,
    channel: str = AccessChannel.WEB,
    agency_id: int | None = None,
) -> PersonalDataAccess | None:
    """Record that ``request.user`` saw personal data: a dossier (whose subject is its
    owner unless ``subject_id`` says otherwise), a citizen's account, or a list or search
    (``detail`` the query and filters, ``result_count`` the rows shown; ``agency_id`` the
    agency whose list it is, when it is one agency's). Returns the row,
    or None when nothing is recorded (nobody logged in, or people seeing their own data)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if subject_id is None and dossier is not None:
        subject_id = dossier.owner_id
    if subject_id is not None and subject_id == user.pk:
        return None
    agencies = [dossier.agency_id, dossier.transfer_agency_id] if dossier is not None else [agency_id]
    seat_agency, role = _seat(user, [a for a in agencies if a], assignments)
    return PersonalDataAccess.objects.create(
        officer_id=user.pk,
        role=role,
        agency_id=seat_agency,
        subject_id=subject_id,
        dossier_id=dossier.pk if dossier is not None else None,
        dossier_code=(dossier.code or "") if dossier is not None else "",
        kind=kind,
        channel=channel,
        detail=" ".join(str(detail).split())[:DETAIL_MAX],
        result_count=result_count,
        path=request.path[:PATH_MAX],
        ip=client_ip(request),
        request_id=request_id(request),
    )


def queue_viewed(
    *, request, key: str, params: dict, page: int, rows: Sequence, scope, channel: str = AccessChannel.WEB
) -> PersonalDataAccess | None:
    """An officer's queue page (or its API twin) was shown: one record of what was asked
    and how many rows came back, never one per row."""
    return access_record(
        request=request,
        kind=search_kind(params),
        detail=search_detail(key, params, page),
        result_count=len(rows),
        assignments=scope.assignment_rows(),
        channel=channel,
    )


def search_detail(label: str, params: dict, page: int | None = None) -> str:
    """What a list or search asked for, as one line: "tat-ca: q=Nguyễn Văn A; kenh=1 (trang 2)"."""
    asked = "; ".join(f"{k}={v}" for k, v in params.items() if v not in ("", None))
    text = f"{label}: {asked}" if asked else label
    return f"{text} (trang {page})" if page and page > 1 else text


def search_kind(params: dict) -> str:
    """A list narrowed by a query or a filter is a search; otherwise a plain list."""
    from .constants import AccessKind

    return AccessKind.SEARCH if any(v not in ("", None) for v in params.values()) else AccessKind.LIST
