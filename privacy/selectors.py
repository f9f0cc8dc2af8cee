"""Reading the access log: the citizen's "who opened my dossier", and who may read the
whole log."""

from django.db.models import QuerySet

from dossiers.models import Dossier

from .models import PersonalDataAccess

DOSSIER_ACCESS_SHOWN = 50


def dossier_accesses(dossier: Dossier, *, limit: int = DOSSIER_ACCESS_SHOWN) -> list[PersonalDataAccess]:
    """The latest accesses to one dossier, for its owner ("Ai đã xem hồ sơ của tôi"): the
    agency, the role, what was seen and when; one query (index ``access_by_dossier``).
    Only this dossier's rows: a search that listed it is not attributed to it."""
    return list(
        PersonalDataAccess.objects.filter(dossier_id=dossier.pk)
        .select_related("agency")
        .only("at", "role", "kind", "channel", "detail", "agency__name", "agency__short_name")
        .order_by("-at", "-pk")[:limit]
    )


def may_read_access_log(user) -> bool:
    """Provincial admins (and superusers) read the whole log, in the admin
    (``accounts.access.is_provincial_admin``, the admin site's own rule)."""
    from accounts.access import is_provincial_admin

    return is_provincial_admin(user)


def access_log() -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.select_related("officer", "agency")
