"""``dossier_synced`` (``dossier_id``): the national portal has the dossier now (its first
push went out), sent inside that transaction; the reports mark its figures (766 1.4)."""

from django.dispatch import Signal

dossier_synced = Signal()
