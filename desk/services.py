"""Changes made by the officers' side itself (its caches); dossier changes are in
``dossiers.processing`` and ``dossiers.workflow``."""

import uuid

from django.core.cache import cache

from . import selectors


def queue_counts_forget(*, dossier_id: int) -> set[int]:
    """Give every agency a change of this dossier touched a new queue-count generation, so
    that its officers' next queue page counts again. Returns those agencies."""
    agencies = selectors.agencies_touched(dossier_id)
    if agencies:
        token = uuid.uuid4().hex
        cache.set_many({selectors.queue_generation_key(a): token for a in agencies}, timeout=None)
    return agencies
