"""Cached public pages follow the admin's edits of what the catalog shows.

Publishing and the daily switch of versions call ``services.catalog_changed`` themselves;
these receivers cover the rest (an agency renamed, a field added, an agency's role in a
procedure changed in the admin). Cache upkeep only: no rule of the domain lives here.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Agency, Field, Procedure, ProcedureAgency, ProcedureVersion


@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=Field)
@receiver([post_save, post_delete], sender=Procedure)
@receiver([post_save, post_delete], sender=ProcedureAgency)
@receiver([post_save, post_delete], sender=ProcedureVersion)
def _catalog_row_changed(sender, **kwargs) -> None:
    from .services import catalog_changed

    catalog_changed()
