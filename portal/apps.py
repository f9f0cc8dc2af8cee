from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng dịch vụ công"

    def ready(self) -> None:
        from portal.db import sqlite_functions

        connection_created.connect(sqlite_functions, dispatch_uid="portal.db.sqlite_functions")
