"""Keep the officers' cached queue counts true: after every committed dossier change."""

from dossiers.events import dossier_status_changed

from . import services


def forget_queue_counts(sender, *, dossier_id: int, **kwargs) -> None:
    """On ``dossier_status_changed`` (sent after commit): new queue-count generations for
    the agencies the change touched (``desk.selectors.agencies_touched``)."""
    services.queue_counts_forget(dossier_id=dossier_id)


def connect() -> None:
    dossier_status_changed.connect(forget_queue_counts, dispatch_uid="desk.forget_queue_counts")
