"""Dossier codes ``<agency code>-YYMMDD-XXXX`` (TT 01/2018 Art. 19; research §1.4).

The sequence restarts each day per receiving agency, has at least four digits and
grows when a day passes 9,999. Unique under concurrent submissions: the counter row
is incremented with an UPDATE, which holds its row lock until the transaction ends (on
the embedded SQLite, the transaction holds the database's write lock from its start:
BEGIN IMMEDIATE, portal.settings).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import DossierCodeCounter


def dossier_code_issue(*, agency_code: str, at: datetime.datetime | None = None) -> str:
    """Reserve the next code for ``agency_code`` on the (local) day of ``at``."""
    day = timezone.localdate(at or timezone.now())
    with transaction.atomic():
        number = _increment(agency_code, day)
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def _increment(agency_code: str, day: datetime.date) -> int:
    counters = DossierCodeCounter.objects.filter(agency_code=agency_code, day=day)
    for _attempt in range(3):
        if counters.update(last=F("last") + 1):
            return counters.values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                DossierCodeCounter.objects.create(agency_code=agency_code, day=day, last=1)
            return 1
        except IntegrityError:
            continue  # someone created it first: increment theirs
    raise RuntimeError("Không cấp được mã hồ sơ, hãy thử lại.")
