"""Write the outbox rows of each dossier change, inside the change's transaction."""

from dossiers.events import dossier_status_recorded

from . import services


def write_outbox(sender, *, change, **kwargs) -> None:
    """On ``dossier_status_recorded`` (inside the transaction of the change)."""
    services.notifications_for_change(change)


def connect() -> None:
    dossier_status_recorded.connect(write_outbox, dispatch_uid="notifications.write_outbox")
