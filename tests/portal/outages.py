"""The database going away under a running portal, in the test's own process: every
connection of the default database's class (the test's, the live server's threads') fails
each query as a lost server does (the driver's ``OperationalError``, turned into Django's),
until the block ends. The connections stay open, so the test database is all there after."""

import contextlib
from unittest import mock

from django.db import connections


@contextlib.contextmanager
def database_unreachable():
    """Yield the list of attempts made while the database was unreachable (one per query)."""
    attempts: list[str] = []

    def refuse(wrapper, name=None):
        attempts.append(wrapper.alias)
        raise wrapper.Database.OperationalError("server closed the connection unexpectedly (test)")

    with mock.patch.object(type(connections["default"]), "create_cursor", refuse):
        yield attempts
