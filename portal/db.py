"""Conditions that answer the same on PostgreSQL and on the embedded default (SQLite).

Django's ``icontains`` is ``UPPER(column) LIKE UPPER('%…%')`` on PostgreSQL, which folds
the case of every letter, but a plain ``LIKE`` on SQLite, which (without the ICU
extension) folds ASCII letters only: there "đỗ văn" would not find "Đỗ Văn An", nor
"THỊ" "Thị". ``icontains`` below is Django's lookup with the same SQL on PostgreSQL (so
its indexes on ``UPPER(column)`` still serve it) and, on SQLite, compares both sides
through ``portal_upper`` (Python's ``str.upper``), which ``sqlite_functions`` adds to
every SQLite connection (connected in ``PortalConfig.ready``).
"""

from django.db.models import F
from django.db.models.lookups import IContains


class UnicodeIContains(IContains):
    """``icontains`` that folds the case of every letter on SQLite as PostgreSQL does."""

    def as_sqlite(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"portal_upper({lhs_sql}) LIKE portal_upper({rhs_sql}) ESCAPE '\\'", [*lhs_params, *rhs_params]


def icontains(field: str, text: str) -> UnicodeIContains:
    """``field`` contains ``text``, whatever the case of their letters, on either database
    (for ``filter()`` or inside a ``Q``)."""
    return UnicodeIContains(F(field), text)


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the functions the conditions above use on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_upper", 1, _upper, deterministic=True)
