"""Each history row of a dossier becomes a push, in the transaction of the change."""

from dossiers.events import dossier_status_recorded


def record_push(sender, change, **kwargs):
    from . import services

    services.push_record(change)


def connect() -> None:
    dossier_status_recorded.connect(record_push, dispatch_uid="national.record_push")
