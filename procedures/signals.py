"""Cached public pages follow the admin's edits of what the catalog shows.

Publishing and the daily switch of versions call ``services.catalog_changed`` themselves;
these receivers cover the rest (an agency renamed, a field added, an agency's role in a
procedure changed in the admin). Cache upkeep only: no rule of the domain lives here.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .constants import VersionStatus
from .models import Agency, Field, Procedure, ProcedureAgency, ProcedureVersion


@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=Field)
@receiver([post_save, post_delete], sender=Procedure)
def _catalog_row_changed(sender, **kwargs) -> None:
    from .services import catalog_changed

    catalog_changed()


@receiver([post_save, post_delete], sender=ProcedureVersion)
def _version_changed(sender, instance, **kwargs) -> None:
    # A draft is not on any public page (publishing renews the pages itself): an admin
    # editing drafts all day does not empty the cache of everyone's searches.
    if instance.status != VersionStatus.DRAFT:
        _catalog_row_changed(sender)


@receiver([post_save, post_delete], sender=ProcedureAgency)
def _role_changed(sender, instance, **kwargs) -> None:
    # Likewise an agency's role in a draft (copied with the draft, or edited on it).
    version = ProcedureVersion.objects.filter(pk=instance.version_id).values_list("status", flat=True).first()
    if version != VersionStatus.DRAFT:
        _catalog_row_changed(sender)
